/** Which prediction endpoint a model id uses: pinned versions or an official model's latest. */
export type ModelRef = { readonly kind: 'version'; readonly version: string } | { readonly kind: 'model'; readonly model: `${string}/${string}` };

/**
 * "owner/name:version" → the version (POST /predictions); "owner/name" → an official model
 * (replicate@1.4.0 posts `{ model }` creates to /models/owner/name/predictions); a bare version
 * id is accepted too. Null for anything else.
 */
export function parseModelRef(providerModelId: string): ModelRef | null {
  const match = /^(?<owner>[^/:\s]+)\/(?<name>[^/:\s]+)(?::(?<version>[^/:\s]+))?$/.exec(providerModelId);
  if (match?.groups) {
    const { owner = '', name = '', version } = match.groups;
    return version ? { kind: 'version', version } : { kind: 'model', model: `${owner}/${name}` };
  }
  if (/^[0-9a-f]{64}$/i.test(providerModelId)) return { kind: 'version', version: providerModelId };
  return null;
}

/** The `version` / `model` fields of a create for this ref. */
export function createTarget(ref: ModelRef): { version: string } | { model: string } {
  return ref.kind === 'version' ? { version: ref.version } : { model: ref.model };
}

/** Whether a listed prediction ran this model ref. */
export function predictionRuns(ref: ModelRef, prediction: { readonly model?: string; readonly version?: string }): boolean {
  return ref.kind === 'version' ? prediction.version === ref.version : prediction.model === ref.model;
}
