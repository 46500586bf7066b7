// What the Discord adapter implements and renders, re-exported from the ports it names. src/discord
// may import use-case modules only (eslint.config.js), so a handler can reach data through a use
// case and nothing else; these are types only, and none of them reads or writes a store. The
// interfaces are defined once, in ports/.
export type { GeneratedImage } from './ports/image-provider.js';
export type { ImageDelivery } from './ports/image-delivery.js';
export type { InteractionWebhook, JobMessageStore, JobRecord } from './ports/job-store.js';
export type { JobMessages } from './ports/job-messages.js';
export type { PurchaseNotice, PurchaseNotifier, ReversalNotice } from './ports/purchase-notifier.js';
export type { WorkLog } from './ports/work-log.js';
export type { PlanCreditsNotice, PlanNotifier, PlanRefundNotice } from './ports/plan-notifier.js';
export type { BudgetAlert, BudgetAlertNotifier } from './ports/spending-limits.js';
