// The private edit panel of one image: Zoom Out 1.5× / 2× / custom, Pan ⬅➡⬆⬇, and Vary (Region)
// as a select menu of preset regions, because nobody can draw in Discord. It is private (only
// the clicker sees it), so the public result keeps one "Edit" button within Discord's 5 rows.
import {
  ButtonStyle,
  ComponentType,
  TextInputStyle,
  type APIActionRowComponent,
  type APIButtonComponent,
  type APIModalInteractionResponseCallbackData,
  type APIStringSelectComponent,
  type APITextInputComponent,
  type InteractionEditReplyOptions,
} from 'discord.js';
import { MAX_ZOOM, MIN_ZOOM, PAN_DIRECTIONS, REGION_PRESETS, ZOOM_PRESETS, regionLabels, type RegionPreset } from '../../domain/edits/image-edit.js';
import { panArrow } from '../../domain/edits/edit-input.js';
import { maxPromptLength } from '../../domain/jobs/job-request.js';
import { editId } from './edit-ids.js';

type Row = APIActionRowComponent<APIButtonComponent> | APIActionRowComponent<APIStringSelectComponent>;

const button = (customId: string, label: string): APIButtonComponent => ({
  type: ComponentType.Button,
  style: ButtonStyle.Secondary,
  label,
  custom_id: customId,
});

/** How a member uploads a mask of their own: the one thing buttons cannot carry. */
export const maskHint = (jobId: string, image: number) =>
  `Your own mask: \`/edit job:${jobId} image:${image} mask:<file>\` with a black-and-white picture the size of the image (white = repaint).`;

/** The edit panel of image `image` (1-based) of a job. */
export function editPanel(jobId: string, image: number, prompt: string): InteractionEditReplyOptions {
  const rows: Row[] = [
    {
      type: ComponentType.ActionRow,
      components: [
        ...ZOOM_PRESETS.map((factor) => button(editId({ action: 'zoom', jobId, image, factor }), `Zoom Out ${factor}×`)),
        button(editId({ action: 'zoom-ask', jobId, image }), 'Custom Zoom…'),
      ],
    },
    {
      type: ComponentType.ActionRow,
      components: PAN_DIRECTIONS.map((direction) => ({
        ...button(editId({ action: 'pan', jobId, image, direction }), `Pan ${direction}`),
        emoji: { name: panArrow(direction) },
      })),
    },
    {
      type: ComponentType.ActionRow,
      components: [
        {
          type: ComponentType.StringSelect,
          custom_id: editId({ action: 'region', jobId, image }),
          placeholder: 'Vary (Region): pick the part to repaint…',
          options: REGION_PRESETS.map((region) => ({ label: regionLabels[region], value: region })),
        },
      ],
    },
  ];
  const shown = prompt.length > 120 ? `${prompt.slice(0, 117)}…` : prompt;
  return {
    content: [
      `**Edit image #${image}** — ${shown}`,
      'Each choice shows its price first; nothing is charged until you press Generate.',
      'Zoom Out and Pan are priced by the pixels they add, Vary (Region) by the pixels it repaints.',
      maskHint(jobId, image),
    ].join('\n'),
    components: rows,
  };
}

/** "Which image?" for a job of several: one button per image, each opening its panel. */
export function editImagePicker(jobId: string, images: number): InteractionEditReplyOptions {
  const numbered = Array.from({ length: images }, (_, index) => index + 1);
  const rows: APIActionRowComponent<APIButtonComponent>[] = [];
  for (let start = 0; start < numbered.length; start += 5) {
    rows.push({
      type: ComponentType.ActionRow,
      components: numbered.slice(start, start + 5).map((k) => button(editId({ action: 'pick', jobId, image: k }), `Edit #${k}`)),
    });
  }
  return { content: 'Which image do you want to edit?', components: rows };
}

export const zoomModalFields = { factor: 'factor', prompt: 'prompt' } as const;

const promptInput = (label: string): APIActionRowComponent<APITextInputComponent> => ({
  type: ComponentType.ActionRow,
  components: [
    {
      type: ComponentType.TextInput,
      custom_id: zoomModalFields.prompt,
      label,
      style: TextInputStyle.Paragraph,
      required: false,
      max_length: maxPromptLength,
      placeholder: 'Leave empty to keep the image’s own prompt',
    },
  ],
});

export function zoomModal(jobId: string, image: number): APIModalInteractionResponseCallbackData {
  return {
    custom_id: editId({ action: 'zoom-modal', jobId, image }),
    title: `Custom Zoom Out of image #${image}`,
    components: [
      {
        type: ComponentType.ActionRow,
        components: [
          {
            type: ComponentType.TextInput,
            custom_id: zoomModalFields.factor,
            label: `Zoom factor (${MIN_ZOOM} to ${MAX_ZOOM})`,
            style: TextInputStyle.Short,
            required: true,
            max_length: 8,
            placeholder: '1.75',
          },
        ],
      },
      promptInput('New prompt for the added area (optional)'),
    ],
  };
}

export function regionModal(jobId: string, image: number, region: RegionPreset): APIModalInteractionResponseCallbackData {
  return {
    custom_id: editId({ action: 'region-modal', jobId, image, region }),
    title: `Vary (Region): ${regionLabels[region]}`.slice(0, 45),
    components: [promptInput('What to paint there (optional)')],
  };
}
