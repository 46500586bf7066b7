// Custom ids of the edit controls: `edit:<action>:<job id>[:<image k>[:<argument>]]`. Like every
// button here they carry only what was chosen and which job; the job itself is read from
// PostgreSQL when the member acts, so the controls keep working after a restart.
import { PAN_DIRECTIONS, REGION_PRESETS, ZOOM_PRESETS, type PanDirection, type RegionPreset } from '../../domain/edits/image-edit.js';

export type EditId =
  /** The "Edit" button on a result: the image picker, or the panel of its one image. */
  | { readonly action: 'open'; readonly jobId: string }
  | { readonly action: 'pick'; readonly jobId: string; readonly image: number }
  | { readonly action: 'zoom'; readonly jobId: string; readonly image: number; readonly factor: (typeof ZOOM_PRESETS)[number] }
  /** "Custom Zoom…": opens the modal; `zoom-modal` is its submission. */
  | { readonly action: 'zoom-ask'; readonly jobId: string; readonly image: number }
  | { readonly action: 'zoom-modal'; readonly jobId: string; readonly image: number }
  | { readonly action: 'pan'; readonly jobId: string; readonly image: number; readonly direction: PanDirection }
  /** The region select menu (its value is the region), then the prompt modal's submission. */
  | { readonly action: 'region'; readonly jobId: string; readonly image: number }
  | { readonly action: 'region-modal'; readonly jobId: string; readonly image: number; readonly region: RegionPreset };

export const editScope = 'edit';

export function editId(id: EditId): string {
  const parts: (string | number)[] = [editScope, id.action, id.jobId];
  if (id.action !== 'open') parts.push(id.image);
  if (id.action === 'zoom') parts.push(id.factor);
  if (id.action === 'pan') parts.push(id.direction);
  if (id.action === 'region-modal') parts.push(id.region);
  return parts.join(':');
}

const oneOf = <T extends string | number>(values: readonly T[], raw: string | undefined, read: (raw: string) => unknown = String): T | undefined => {
  const value = raw === undefined ? undefined : read(raw);
  return values.find((candidate) => candidate === value);
};

/** The edit control a custom id names; null for anything else (another scope, a malformed or made-up id). */
export function parseEditId(customId: string): EditId | null {
  const [scope, action, jobId, imageText, argument, extra] = customId.split(':');
  if (scope !== editScope || !jobId || extra !== undefined) return null;
  if (action === 'open') return imageText === undefined ? { action, jobId } : null;
  const image = Number(imageText);
  if (!Number.isSafeInteger(image) || image < 1 || image > 10) return null;
  switch (action) {
    case 'pick':
    case 'zoom-ask':
    case 'zoom-modal':
    case 'region':
      return argument === undefined ? { action, jobId, image } : null;
    case 'zoom': {
      const factor = oneOf(ZOOM_PRESETS, argument, Number);
      return factor === undefined ? null : { action, jobId, image, factor };
    }
    case 'pan': {
      const direction = oneOf(PAN_DIRECTIONS, argument);
      return direction === undefined ? null : { action, jobId, image, direction };
    }
    case 'region-modal': {
      const region = oneOf(REGION_PRESETS, argument);
      return region === undefined ? null : { action, jobId, image, region };
    }
    default:
      return null;
  }
}
