// @ts-check
// The playground page: plain DOM code, no framework and no build step (see docs/operations.md,
// "The playground"). The server holds all state — the local Discord's messages, the ledger — and
// this page shows it: /api/state once per person, then one event stream for live messages and the
// balance. Text from the bot is always inserted as text, never as HTML.

/** @typedef {Record<string, any>} Json */

const $ = (/** @type {string} */ id) => /** @type {HTMLElement} */ (document.getElementById(id));
const el = (/** @type {string} */ tag, /** @type {Record<string, string>} */ attributes = {}, /** @type {(Node | string)[]} */ children = []) => {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  node.append(...children);
  return node;
};

const OPTION = {
  Subcommand: 1,
  SubcommandGroup: 2,
  String: 3,
  Integer: 4,
  Boolean: 5,
  User: 6,
  Channel: 7,
  Role: 8,
  Mentionable: 9,
  Number: 10,
  Attachment: 11,
};
const EPHEMERAL_NOTE = 'Only you can see this';

/** @type {{ me: string, state: Json | null, events: EventSource | null, commandPaths: Map<string, { command: Json, path: string[], options: Json[] }> }} */
const page = { me: new URLSearchParams(location.search).get('as') ?? 'member', state: null, events: null, commandPaths: new Map() };

async function api(/** @type {string} */ path, /** @type {Json} */ body) {
  const response = await fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ as: page.me, ...body }) });
  const answer = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(answer.error ?? `the playground answered ${response.status}`);
  return answer;
}

// ---- who you are -------------------------------------------------------------------------------

/** Opens the live stream for the person chosen; each time it (re)connects, the whole view is reloaded, so nothing sent meanwhile is missed. */
function load() {
  page.events?.close();
  delete document.body.dataset['ready'];
  const events = new EventSource(`/api/events?as=${encodeURIComponent(page.me)}`);
  events.addEventListener('open', () => void refresh().catch(showError));
  events.addEventListener('message', (event) => upsertMessage(JSON.parse(event.data)));
  events.addEventListener('delete', (event) => document.querySelector(`[data-message-id="${JSON.parse(event.data).id}"]`)?.remove());
  events.addEventListener('balance', (event) => renderBalance(JSON.parse(event.data)));
  page.events = events;
}

async function refresh() {
  const response = await fetch(`/api/state?as=${encodeURIComponent(page.me)}`);
  const state = await response.json();
  if (!response.ok) throw new Error(state.error ?? 'could not load the playground');
  page.state = state;
  renderPersonas(state);
  $('guild-name').textContent = state.guild.name;
  $('channel-name').textContent = state.channel.name;
  renderBalance(state.balance);
  renderCommands(state.commands);
  renderOwnerTools(state);
  $('messages').replaceChildren();
  $('dms').replaceChildren();
  followChannel = true;
  for (const message of state.messages) upsertMessage(message);
  // Tests (and anyone curious) can tell when the page shows this person and is live.
  document.body.dataset['ready'] = state.me;
}

function renderPersonas(/** @type {Json} */ state) {
  const fieldset = $('personas');
  fieldset.querySelectorAll('label').forEach((node) => node.remove());
  for (const persona of state.personas) {
    const input = el('input', { type: 'radio', name: 'persona', value: persona.key, id: `persona-${persona.key}` });
    /** @type {HTMLInputElement} */ (input).checked = persona.key === state.me;
    input.addEventListener('change', () => {
      page.me = persona.key;
      history.replaceState(null, '', `?as=${encodeURIComponent(persona.key)}`);
      load();
    });
    fieldset.append(
      el('label', { class: 'persona', for: `persona-${persona.key}` }, [
        input,
        el('span', {}, [el('strong', {}, [persona.username]), el('br'), persona.description]),
      ]),
    );
  }
}

function renderBalance(/** @type {Json} */ balance) {
  $('balance-tier').textContent = balance.tier && balance.tier !== 'none' ? `Tier: ${balance.tier}` : 'No tier (free daily credits only)';
  const rows = [];
  for (const bucket of balance.buckets) {
    rows.push(el('dt', {}, [bucket.label]), el('dd', { 'data-bucket': bucket.kind }, [String(bucket.available)]));
  }
  rows.push(el('dt', {}, ['Held by running jobs']), el('dd', { 'data-bucket': 'held' }, [String(balance.held)]));
  rows.push(el('dt', { class: 'total' }, ['Available']), el('dd', { class: 'total', 'data-bucket': 'available' }, [String(balance.available)]));
  $('balance').replaceChildren(...rows);
}

function renderOwnerTools(/** @type {Json} */ state) {
  const me = state.personas.find((/** @type {Json} */ persona) => persona.key === state.me);
  $('owner-tools').hidden = !me?.owner;
  if (!me?.owner) return;
  const options = (/** @type {[string, string][]} */ pairs) => pairs.map(([value, label]) => el('option', { value }, [label]));
  $('map-role').replaceChildren(...options(state.roles.map((/** @type {Json} */ role) => [role.id, `${role.name}${role.tier ? ` (now ${role.tier})` : ''}`])));
  $('map-tier').replaceChildren(...options(state.tiers.map((/** @type {string} */ tier) => [tier, tier])));
  $('purchase-buyer').replaceChildren(...options(state.personas.map((/** @type {Json} */ persona) => [persona.key, persona.username])));
  $('purchase-pack').replaceChildren(
    ...options(state.packs.map((/** @type {Json} */ pack) => [pack.id, `${pack.label}: ${pack.credits} credits, $${pack.priceUsd.toFixed(2)}`])),
  );
}

// ---- messages ----------------------------------------------------------------------------------

/**
 * Like Discord, the channel keeps its newest message in view unless you scrolled up to read. On a
 * wide window the message list scrolls on its own; on a phone-sized one the page does.
 */
let followChannel = true;
const channelScroller = () => (getComputedStyle($('messages')).overflowY === 'auto' ? $('messages') : /** @type {HTMLElement} */ (document.scrollingElement));
const atBottom = (/** @type {HTMLElement} */ scroller) => scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < 48;
$('messages').addEventListener('scroll', () => (followChannel = atBottom(channelScroller())));
window.addEventListener('scroll', () => (followChannel = atBottom(channelScroller())));
const followNewest = () => {
  const scroller = channelScroller();
  if (followChannel) scroller.scrollTop = scroller.scrollHeight;
};

function upsertMessage(/** @type {Json} */ message) {
  const list = message.place === 'dm' ? $('dms') : $('messages');
  const node = renderMessage(message);
  const existing = list.querySelector(`[data-message-id="${message.id}"]`);
  if (existing) {
    // A keyboard user who just pressed a button on this message keeps their place when it is redrawn.
    const focused = existing.contains(document.activeElement) ? /** @type {HTMLElement} */ (document.activeElement).dataset['control'] : undefined;
    existing.replaceWith(node);
    if (focused !== undefined) {
      const same = /** @type {HTMLElement | null} */ (node.querySelector(`[data-control="${CSS.escape(focused)}"]`));
      (same ?? node).focus();
    }
  } else list.append(node);
  if (list !== $('messages')) return;
  followNewest();
  // Images grow the message once they load: keep the newest in view then too.
  for (const image of node.querySelectorAll('img')) image.addEventListener('load', followNewest);
}

function renderMessage(/** @type {Json} */ message) {
  // tabindex -1: focus can land on a message whose button went away when it was redrawn.
  const item = el('li', { class: `message${message.ephemeral ? ' ephemeral' : ''}`, 'data-message-id': message.id, tabindex: '-1' });
  if (message.interaction)
    item.append(
      el('div', { class: 'used' }, [`${message.interaction.username} ${message.interaction.label.startsWith('/') ? 'used ' : ''}${message.interaction.label}`]),
    );
  const head = el('div', { class: 'message-head' }, [el('span', { class: 'author' }, [message.author])]);
  if (message.bot) head.append(el('span', { class: 'bot-tag' }, ['APP']));
  head.append(el('time', { class: 'time', datetime: message.timestamp }, [new Date(message.timestamp).toLocaleTimeString()]));
  if (message.edited) head.append(el('span', { class: 'edited' }, ['(edited)']));
  item.append(head);
  if (message.content) item.append(markdown(message.content, 'content'));
  const attachmentsByName = new Map(message.attachments.map((/** @type {Json} */ file) => [file.filename, file]));
  const shownInEmbeds = new Set();
  for (const embed of message.embeds) item.append(renderEmbed(embed, attachmentsByName, shownInEmbeds));
  for (const file of message.attachments) {
    if (shownInEmbeds.has(file.filename)) continue;
    if (file.contentType.startsWith('image/')) item.append(el('img', { src: file.url, alt: `Image ${file.filename}`, loading: 'lazy' }));
    else item.append(el('a', { href: file.url }, [file.filename]));
  }
  if (message.components.length > 0) item.append(renderComponents(message));
  if (message.ephemeral) item.append(el('div', { class: 'only-you' }, [EPHEMERAL_NOTE]));
  return item;
}

function renderEmbed(/** @type {Json} */ embed, /** @type {Map<string, Json>} */ files, /** @type {Set<string>} */ shown) {
  const color = typeof embed.color === 'number' ? `#${embed.color.toString(16).padStart(6, '0')}` : undefined;
  const box = el('div', { class: 'embed' });
  if (color) box.style.borderLeftColor = color;
  if (embed.author?.name) box.append(el('div', { class: 'muted' }, [embed.author.name]));
  if (embed.title) box.append(el('div', { class: 'embed-title' }, [embed.title]));
  if (embed.description) box.append(markdown(embed.description, 'embed-description'));
  if (Array.isArray(embed.fields) && embed.fields.length > 0) {
    const fields = el('dl', { class: 'embed-fields' });
    for (const field of embed.fields) {
      fields.append(
        el('div', { class: `embed-field${field.inline ? '' : ' wide'}` }, [
          el('dt', {}, [markdown(field.name, 'inline')]),
          el('dd', {}, [markdown(field.value, 'inline')]),
        ]),
      );
    }
    box.append(fields);
  }
  for (const image of [embed.image, embed.thumbnail]) {
    if (!image?.url) continue;
    const name = String(image.url).startsWith('attachment://') ? String(image.url).slice('attachment://'.length) : null;
    const file = name ? files.get(name) : null;
    if (name && file) shown.add(name);
    const src = file ? file.url : String(image.url);
    if (src.startsWith('/')) box.append(el('img', { src, alt: embed.title ? `Image: ${embed.title}` : 'Image', loading: 'lazy' }));
  }
  if (embed.footer?.text || embed.timestamp) {
    const when = embed.timestamp ? [embed.footer?.text ? ' · ' : '', timestamp(Date.parse(embed.timestamp) / 1000, 'f')] : [];
    box.append(el('div', { class: 'embed-footer' }, [embed.footer?.text ?? '', ...when]));
  }
  return box;
}

function renderComponents(/** @type {Json} */ message) {
  const box = el('div', { class: 'components' });
  for (const row of message.components) {
    const rowNode = el('div', { class: 'action-row' });
    for (const component of row.components ?? []) rowNode.append(renderComponent(message, component));
    box.append(rowNode);
  }
  return box;
}

function renderComponent(/** @type {Json} */ message, /** @type {Json} */ component) {
  const label = `${component.emoji?.name ? `${component.emoji.name} ` : ''}${component.label ?? ''}`.trim();
  if (component.type === 2 && component.style === 5) {
    return el('a', { class: 'link-button', href: component.url, target: '_blank', rel: 'noreferrer' }, [`${label} ↗`]);
  }
  if (component.type === 2) {
    // Style 6 is Discord's premium button: it opens the store for the SKU; here, a simulated purchase.
    const text = component.style === 6 ? premiumLabel(component.sku_id) : label || '…';
    const button = /** @type {HTMLButtonElement} */ (
      el('button', { type: 'button', class: `component style-${component.style}`, 'data-control': String(component.custom_id ?? component.sku_id ?? text) }, [
        text,
      ])
    );
    button.disabled = component.disabled === true;
    // While its click is on its way the button says so, but keeps focus (a disabled button would drop it).
    button.addEventListener('click', () => {
      if (button.getAttribute('aria-busy') === 'true') return;
      button.setAttribute('aria-busy', 'true');
      const request =
        component.style === 6 ? api('/api/buy-sku', { skuId: component.sku_id }) : api('/api/button', { messageId: message.id, customId: component.custom_id });
      request.then(afterInteraction, showError).finally(() => button.removeAttribute('aria-busy'));
    });
    return button;
  }
  if (component.type === 3) {
    const id = `select-${message.id}-${component.custom_id}`;
    const select = /** @type {HTMLSelectElement} */ (el('select', { id }));
    select.multiple = (component.max_values ?? 1) > 1;
    if (!select.multiple) select.append(el('option', { value: '' }, [component.placeholder ?? 'Choose…']));
    for (const option of component.options ?? []) select.append(el('option', { value: option.value }, [option.label]));
    const choose = el('button', { type: 'button', class: 'secondary' }, ['Choose']);
    choose.addEventListener('click', () => {
      const values = [...select.selectedOptions].map((option) => option.value).filter(Boolean);
      api('/api/select', { messageId: message.id, customId: component.custom_id, values }).then(afterInteraction, showError);
    });
    return el('span', { class: 'action-row' }, [el('label', { for: id, class: 'visually-hidden' }, [component.placeholder ?? 'Choose']), select, choose]);
  }
  return el('span', { class: 'muted' }, ['(a control the playground cannot show)']);
}

/** Discord shows a premium button as the SKU's name and price; the playground's store sells the card's packs and plans. */
function premiumLabel(/** @type {string} */ skuId) {
  const pack = page.state?.packs.find((/** @type {Json} */ candidate) => candidate.skuId === skuId);
  if (pack) return `🛒 ${pack.credits} credits · $${pack.priceUsd.toFixed(2)} in the Discord store (simulated)`;
  const plan = page.state?.plans?.find((/** @type {Json} */ candidate) => candidate.skuId === skuId);
  if (plan) return `🛒 ${plan.tier} ${plan.interval}ly · $${plan.priceUsd.toFixed(2)} / ${plan.interval} in the Discord store (simulated)`;
  return 'Buy in the Discord store (simulated)';
}

/** Discord's markdown, the parts the bot uses: **bold**, *italic*, `code`, [links](url), <t:unix:style>. */
function markdown(/** @type {string} */ text, /** @type {string} */ className) {
  const node = el(className === 'inline' ? 'span' : 'div', { class: className });
  const pattern =
    /\*\*(.+?)\*\*|`([^`]+)`|\[([^\]]+)\]\((https?:\/\/[^)\s]+)\)|<t:(\d+)(?::([tTdDfFR]))?>|(?<![*\w])\*([^*\n]+)\*(?!\*)|__(.+?)__|<@!?(\d+)>|<@&(\d+)>/g;
  let last = 0;
  for (const match of text.matchAll(pattern)) {
    node.append(text.slice(last, match.index));
    if (match[1] !== undefined) node.append(el('strong', {}, [match[1]]));
    else if (match[2] !== undefined) node.append(el('code', {}, [match[2]]));
    else if (match[3] !== undefined) node.append(el('a', { href: match[4] ?? '#', target: '_blank', rel: 'noreferrer' }, [match[3]]));
    else if (match[5] !== undefined) node.append(timestamp(Number(match[5]), match[6] ?? 'f'));
    else if (match[7] !== undefined) node.append(el('em', {}, [match[7]]));
    else if (match[8] !== undefined) node.append(el('u', {}, [match[8]]));
    else if (match[9] !== undefined) node.append(el('strong', { class: 'mention' }, [`@${nameOf(match[9])}`]));
    else if (match[10] !== undefined) node.append(el('strong', { class: 'mention' }, [`@${roleNameOf(match[10])}`]));
    last = (match.index ?? 0) + match[0].length;
  }
  node.append(text.slice(last));
  return node;
}

function nameOf(/** @type {string} */ userId) {
  return page.state?.personas.find((/** @type {Json} */ persona) => persona.userId === userId)?.username ?? 'someone';
}

function roleNameOf(/** @type {string} */ roleId) {
  return page.state?.roles.find((/** @type {Json} */ role) => role.id === roleId)?.name ?? 'a role';
}

function timestamp(/** @type {number} */ seconds, /** @type {string} */ style) {
  const date = new Date(seconds * 1000);
  let text = date.toLocaleString();
  if (style === 'R') {
    const minutes = Math.round((date.getTime() - Date.now()) / 60_000);
    const format = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });
    text =
      Math.abs(minutes) < 60
        ? format.format(minutes, 'minute')
        : Math.abs(minutes) < 2880
          ? format.format(Math.round(minutes / 60), 'hour')
          : format.format(Math.round(minutes / 1440), 'day');
  } else if (style === 't' || style === 'T') text = date.toLocaleTimeString();
  else if (style === 'd' || style === 'D') text = date.toLocaleDateString();
  return el('time', { datetime: date.toISOString(), title: date.toLocaleString() }, [text]);
}

// ---- the command box ---------------------------------------------------------------------------

function renderCommands(/** @type {Json[]} */ commands) {
  page.commandPaths.clear();
  for (const command of commands) {
    const nested = (command.options ?? []).filter((/** @type {Json} */ option) => option.type === OPTION.Subcommand || option.type === OPTION.SubcommandGroup);
    if (nested.length === 0) page.commandPaths.set(`/${command.name}`, { command, path: [], options: command.options ?? [] });
    for (const sub of nested) {
      if (sub.type === OPTION.Subcommand) page.commandPaths.set(`/${command.name} ${sub.name}`, { command, path: [sub.name], options: sub.options ?? [] });
      else
        for (const leaf of sub.options ?? [])
          page.commandPaths.set(`/${command.name} ${sub.name} ${leaf.name}`, { command, path: [sub.name, leaf.name], options: leaf.options ?? [] });
    }
  }
  $('command-list').replaceChildren(
    ...[...page.commandPaths.keys()].map((path) => el('option', { value: path }, [page.commandPaths.get(path)?.command.description ?? ''])),
  );
  $('command-hint').textContent = `Type / to pick one of ${page.commandPaths.size} commands; their options appear below.`;
  renderOptions();
}

function currentCommand() {
  const typed = /** @type {HTMLInputElement} */ ($('command-input')).value.trim().replace(/\s+/g, ' ');
  return page.commandPaths.get(typed.startsWith('/') ? typed : `/${typed}`);
}

let shownPath = '';
function renderOptions() {
  const selected = currentCommand();
  const key = selected ? `/${[selected.command.name, ...selected.path].join(' ')}` : '';
  if (key === shownPath) return;
  shownPath = key;
  const box = $('command-options');
  box.replaceChildren();
  if (!selected) return;
  for (const option of selected.options) box.append(renderOption(selected, option));
}

function renderOption(/** @type {{ command: Json, path: string[] }} */ selected, /** @type {Json} */ option) {
  const id = `option-${option.name}`;
  const hintId = `${id}-hint`;
  const label = el('label', { for: id }, [`${option.name}${option.required ? ' (required)' : ''}`]);
  /** @type {HTMLInputElement | HTMLSelectElement} */
  let field;
  const choices = (/** @type {[string, string][]} */ pairs, /** @type {boolean} */ blank) =>
    /** @type {HTMLSelectElement} */ (
      el('select', {}, [...(blank ? [el('option', { value: '' }, ['—'])] : []), ...pairs.map(([value, text]) => el('option', { value }, [text]))])
    );
  const state = /** @type {Json} */ (page.state);
  if (option.choices?.length)
    field = choices(
      option.choices.map((/** @type {Json} */ choice) => [String(choice.value), choice.name]),
      !option.required,
    );
  else if (option.type === OPTION.Boolean)
    field = choices(
      [
        ['true', 'yes'],
        ['false', 'no'],
      ],
      true,
    );
  else if (option.type === OPTION.User || option.type === OPTION.Mentionable)
    field = choices(
      state.personas.map((/** @type {Json} */ p) => [p.userId, p.username]),
      !option.required,
    );
  else if (option.type === OPTION.Role)
    field = choices(
      state.roles.map((/** @type {Json} */ role) => [role.id, role.name]),
      !option.required,
    );
  else if (option.type === OPTION.Channel) field = choices([[state.channel.id, `#${state.channel.name}`]], !option.required);
  else {
    field = /** @type {HTMLInputElement} */ (
      el('input', { type: option.type === OPTION.Integer || option.type === OPTION.Number ? 'number' : 'text', autocomplete: 'off' })
    );
    if (option.min_value !== undefined) field.setAttribute('min', String(option.min_value));
    if (option.max_value !== undefined) field.setAttribute('max', String(option.max_value));
    if (option.max_length !== undefined) field.setAttribute('maxlength', String(option.max_length));
    if (option.type === OPTION.Attachment) {
      field.type = 'file';
      field.setAttribute('accept', 'image/png,image/jpeg,image/webp,image/gif');
    }
    if (option.autocomplete) attachAutocomplete(selected, option, /** @type {HTMLInputElement} */ (field), id);
  }
  field.id = id;
  field.name = option.name;
  field.dataset['option'] = option.name;
  field.setAttribute('aria-describedby', hintId);
  if (option.required) field.setAttribute('aria-required', 'true');
  return el('div', { class: 'option' }, [label, field, el('span', { class: 'hint', id: hintId }, [option.description ?? ''])]);
}

function attachAutocomplete(
  /** @type {{ command: Json, path: string[] }} */ selected,
  /** @type {Json} */ option,
  /** @type {HTMLInputElement} */ input,
  /** @type {string} */ id,
) {
  const listId = `${id}-choices`;
  const list = el('datalist', { id: listId });
  input.setAttribute('list', listId);
  let timer = 0;
  const ask = () => {
    clearTimeout(timer);
    timer = window.setTimeout(() => {
      api('/api/autocomplete', { name: selected.command.name, path: selected.path, values: formValues(), focused: option.name }).then(
        (answer) => list.replaceChildren(...answer.choices.map((/** @type {Json} */ choice) => el('option', { value: String(choice.value) }, [choice.name]))),
        () => undefined,
      );
    }, 200);
  };
  input.addEventListener('input', ask);
  input.addEventListener('focus', ask);
  // The datalist goes beside the input once the input is in its option box (right after this returns).
  queueMicrotask(() => input.parentElement?.append(list));
}

/** The options typed so far (files left out: autocomplete never needs them). */
function formValues() {
  /** @type {Record<string, string>} */
  const values = {};
  for (const field of /** @type {NodeListOf<HTMLInputElement | HTMLSelectElement>} */ ($('command-options').querySelectorAll('[data-option]'))) {
    if (field.value !== '' && !field.disabled && field.type !== 'file') values[field.dataset['option'] ?? field.name] = field.value;
  }
  return values;
}

/** The options to send: the typed ones, and each chosen file as its name, type and contents (base64). */
async function formValuesWithFiles() {
  /** @type {Record<string, string | { name: string, contentType: string, dataBase64: string }>} */
  const values = formValues();
  for (const field of /** @type {NodeListOf<HTMLInputElement>} */ ($('command-options').querySelectorAll('input[type="file"][data-option]'))) {
    const file = field.files?.[0];
    if (!file) continue;
    const bytes = new Uint8Array(await file.arrayBuffer());
    let binary = '';
    for (let at = 0; at < bytes.length; at += 0x8000) binary += String.fromCharCode(...bytes.subarray(at, at + 0x8000));
    values[field.dataset['option'] ?? field.name] = { name: file.name, contentType: file.type, dataBase64: btoa(binary) };
  }
  return values;
}

async function sendCommand(/** @type {SubmitEvent} */ event) {
  event.preventDefault();
  $('composer-error').textContent = '';
  const selected = currentCommand();
  if (!selected) {
    $('composer-error').textContent = 'Pick a command from the list: type / to see them.';
    return;
  }
  try {
    const result = await api('/api/command', { name: selected.command.name, path: selected.path, values: await formValuesWithFiles() });
    afterInteraction(result);
    /** @type {HTMLInputElement} */ ($('command-input')).value = '';
    renderOptions();
  } catch (error) {
    showError(error);
  }
}

// ---- what follows an interaction ---------------------------------------------------------------

function afterInteraction(/** @type {Json} */ result) {
  if (result.modal) openModal(result.modal);
  else if (result.acknowledged === false) showError(new Error('The application did not respond (no answer within 3 seconds).'));
}

function openModal(/** @type {Json} */ modal) {
  const dialog = /** @type {HTMLDialogElement} */ ($('modal'));
  $('modal-title').textContent = modal.title ?? 'Form';
  const fields = $('modal-fields');
  fields.replaceChildren();
  for (const row of modal.components ?? []) {
    for (const input of row.components ?? []) {
      const id = `modal-${input.custom_id}`;
      const field = /** @type {HTMLInputElement | HTMLTextAreaElement} */ (el(input.style === 2 ? 'textarea' : 'input', { id, 'data-field': input.custom_id }));
      field.required = input.required !== false;
      if (input.value) field.value = input.value;
      if (input.placeholder) field.placeholder = input.placeholder;
      if (input.max_length) field.maxLength = input.max_length;
      fields.append(el('label', { for: id }, [input.label ?? input.custom_id]), field);
    }
  }
  const form = /** @type {HTMLFormElement} */ ($('modal-form'));
  form.onsubmit = (event) => {
    event.preventDefault();
    /** @type {Record<string, string>} */
    const values = {};
    for (const field of /** @type {NodeListOf<HTMLInputElement>} */ (fields.querySelectorAll('[data-field]')))
      values[field.dataset['field'] ?? ''] = field.value;
    dialog.close();
    api('/api/modal', { customId: modal.custom_id, fields: values }).then(afterInteraction, showError);
  };
  $('modal-cancel').onclick = () => dialog.close();
  dialog.showModal();
}

function showError(/** @type {unknown} */ error) {
  $('composer-error').textContent = error instanceof Error ? error.message : String(error);
}

// ---- owner tools -------------------------------------------------------------------------------

function ownerNote(/** @type {string} */ text) {
  $('owner-note').textContent = text;
}

$('map-role-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const role = /** @type {HTMLSelectElement} */ ($('map-role')).value;
  const tier = /** @type {HTMLSelectElement} */ ($('map-tier')).value;
  api('/api/command', { name: 'admin', path: ['tier', 'set'], values: { role, tier } }).then(
    (result) => {
      afterInteraction(result);
      ownerNote('Sent /admin tier set: the bot’s answer is in the channel.');
      // The roles list shows each role's tier: read it again once the bot has answered.
      setTimeout(() => refresh().catch(showError), 500);
    },
    (error) => ownerNote(error.message),
  );
});

$('purchase-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const submitter = /** @type {HTMLButtonElement | null} */ (/** @type {SubmitEvent} */ (event).submitter);
  const method = submitter?.value ?? 'discord';
  const buyer = /** @type {HTMLSelectElement} */ ($('purchase-buyer')).value;
  const packId = /** @type {HTMLSelectElement} */ ($('purchase-pack')).value;
  api('/api/purchase', { method, buyer, packId }).then(
    (answer) => ownerNote(answer.note),
    (error) => ownerNote(error.message),
  );
});

$('purchase-again').addEventListener('click', () => {
  api('/api/purchase', { again: true }).then(
    (answer) => ownerNote(answer.note),
    (error) => ownerNote(error.message),
  );
});

$('command-input').addEventListener('input', renderOptions);
$('composer').addEventListener('submit', (event) => void sendCommand(/** @type {SubmitEvent} */ (event)));

load();
