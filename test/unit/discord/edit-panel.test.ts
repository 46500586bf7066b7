// The edit controls' custom ids and components stay within Discord's limits and read back exactly.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { PAN_DIRECTIONS, REGION_PRESETS, ZOOM_PRESETS } from '../../../src/domain/edits/image-edit.js';
import { editId, parseEditId, type EditId } from '../../../src/discord/render/edit-ids.js';
import { editImagePicker, editPanel, regionModal, zoomModal } from '../../../src/discord/render/edit-panel.js';

const jobId = randomUUID();
const everyId: EditId[] = [
  { action: 'open', jobId },
  ...[1, 10].flatMap((image): EditId[] => [
    { action: 'pick', jobId, image },
    { action: 'zoom-ask', jobId, image },
    { action: 'zoom-modal', jobId, image },
    { action: 'region', jobId, image },
    ...ZOOM_PRESETS.map((factor): EditId => ({ action: 'zoom', jobId, image, factor })),
    ...PAN_DIRECTIONS.map((direction): EditId => ({ action: 'pan', jobId, image, direction })),
    ...REGION_PRESETS.map((region): EditId => ({ action: 'region-modal', jobId, image, region })),
  ]),
];

type Component = { type: number; custom_id?: string; label?: string; options?: unknown[]; components?: Component[] };

describe('edit controls', () => {
  it('every custom id reads back as itself and fits Discord’s 100 characters', () => {
    for (const id of everyId) {
      expect(parseEditId(editId(id))).toEqual(id);
      expect(editId(id).length).toBeLessThanOrEqual(100);
    }
  });

  it('the panel, the picker of ten and the modals stay within Discord’s component limits', () => {
    const panelRows = editPanel(jobId, 10, 'x'.repeat(1500)).components as Component[];
    const pickerRows = editImagePicker(jobId, 10).components as Component[];
    for (const rows of [panelRows, pickerRows]) {
      expect(rows.length).toBeLessThanOrEqual(5);
      for (const row of rows) expect(row.components!.length).toBeLessThanOrEqual(5);
    }
    const select = panelRows.flatMap((row) => row.components!).find((c) => c.type === 3)!;
    expect(select.options).toHaveLength(REGION_PRESETS.length);
    expect(String(editPanel(jobId, 1, 'x'.repeat(1500)).content).length).toBeLessThanOrEqual(2000);
    for (const modal of [zoomModal(jobId, 10), ...REGION_PRESETS.map((region) => regionModal(jobId, 10, region))]) {
      expect(modal.title.length).toBeLessThanOrEqual(45);
      for (const row of modal.components as Component[]) for (const input of row.components!) expect(input.label!.length).toBeLessThanOrEqual(45);
    }
  });
});
