// Models: each model of the registry with its versions and their metrics, where each alias
// points, the audit log; deploy and roll back (with confirmation) for keys with the deploy role.
import { api, confirmDialog, currentRole, showMessage } from '../app.js';
import { el, empty, number, panel, table } from '../ui.js';

const shownMetrics = ['normalized_gini', 'spearman', 'mae', 'mae_payers', 'total_ratio',
  'test_players'];

function canDeploy() {
  return currentRole() === 'deploy' || currentRole() === 'admin';
}

function metricsCell(metrics) {
  if (!metrics || typeof metrics !== 'object') return '–';
  const names = shownMetrics.filter((n) => typeof metrics[n] === 'number');
  const rest = Object.keys(metrics).filter((n) => typeof metrics[n] === 'number' && !names.includes(n));
  const list = el('dl', { class: 'metrics' });
  for (const name of names.concat(rest).slice(0, 6))
    list.append(el('div', {}, el('dt', {}, name), el('dd', {}, number(metrics[name], 3))));
  return list;
}

async function deploy(model, alias, versions, current, refresh) {
  const others = versions.filter((v) => v.version !== current);
  if (!others.length) {
    showMessage(`${model} has no other version to deploy to ${alias}.`, 'info');
    return;
  }
  const select = el('select', { id: 'deploy-version', name: 'version' }, others.map((v) =>
    el('option', { value: v.version }, `version ${v.version} · ${v.model_spec} · ${v.created_at}`)));
  const comment = el('input', { id: 'deploy-comment', type: 'text', placeholder: 'why (optional)' });
  const body = el('div', {},
    el('p', {}, `Point ${model}/${alias} (now version ${current ?? 'none'}) at another version. ` +
      'The service loads it first, then serves it.'),
    el('label', { for: 'deploy-version' }, 'Version'), select,
    el('label', { for: 'deploy-comment' }, 'Comment'), comment);
  if (!(await confirmDialog(`Deploy ${model}/${alias}`, body, 'Deploy'))) return;
  const version = Number(select.value);
  try {
    const move = await api(`/v1/models/${encodeURIComponent(model)}/aliases/${encodeURIComponent(alias)}/deploy`,
      { method: 'POST', body: { version, comment: comment.value || 'deployed from the console' } });
    await refresh();
    showMessage(`Deployed: ${model}/${alias} moved from version ${move.from_version ?? 'none'} to ` +
      `${move.to_version}; the service now serves version ${move.served_version ?? '–'}.`, 'ok');
  } catch (error) {
    showMessage(error.message);
  }
}

async function rollback(model, alias, current, refresh) {
  const body = el('p', {}, `Move ${model}/${alias} (now version ${current}) back to the version ` +
    'it pointed at before its last deploy?');
  if (!(await confirmDialog(`Roll back ${model}/${alias}`, body, 'Roll back'))) return;
  try {
    const move = await api(`/v1/models/${encodeURIComponent(model)}/aliases/${encodeURIComponent(alias)}/rollback`,
      { method: 'POST', body: { comment: 'rolled back from the console' } });
    await refresh();
    showMessage(`Rolled back: ${model}/${alias} moved from version ${move.from_version ?? 'none'} ` +
      `to ${move.to_version}; the service now serves version ${move.served_version ?? '–'}.`, 'ok');
  } catch (error) {
    showMessage(error.message);
  }
}

async function modelSection(name, refresh) {
  const [detail, log] = await Promise.all([
    api(`/v1/models/${encodeURIComponent(name)}`),
    api(`/v1/models/${encodeURIComponent(name)}/history`),
  ]);
  const aliasRows = detail.aliases.map((a) => {
    const actions = canDeploy()
      ? el('div', { class: 'toolbar' },
        el('button', { type: 'button', 'data-action': 'deploy', 'data-alias': a.alias,
          onclick: () => deploy(name, a.alias, detail.versions, a.version, refresh) }, `Deploy ${a.alias}…`),
        el('button', { type: 'button', class: 'secondary', 'data-action': 'rollback', 'data-alias': a.alias,
          onclick: () => rollback(name, a.alias, a.version, refresh) }, `Roll back ${a.alias}…`))
      : el('span', { class: 'note' }, 'deploy role needed');
    return { ...a, actions };
  });
  const aliasTable = aliasRows.length
    ? table([
      { label: 'Alias', value: (a) => a.alias },
      { label: 'Version', value: (a) => el('span', { 'data-alias-version': a.alias }, String(a.version)), num: true },
      { label: 'Updated', value: (a) => a.updated_at },
      { label: 'Actions', value: (a) => a.actions },
    ], aliasRows)
    : empty('No aliases yet: `playsight models deploy MODEL VERSION --alias production`.');
  const aliasOf = (v) => detail.aliases.filter((a) => a.version === v.version).map((a) => a.alias).join(', ');
  const versions = table([
    { label: 'Version', value: (v) => String(v.version), num: true },
    { label: 'Aliases', value: (v) => aliasOf(v) || '–' },
    { label: 'Model', value: (v) => v.model_spec },
    { label: 'Metrics (test players)', value: (v) => metricsCell(v.metrics) },
    { label: 'Registered', value: (v) => `${v.created_at} by ${v.author || '–'}` },
    { label: 'Content hash', value: (v) => el('code', {}, (v.content_hash || '').slice(0, 12)) },
    { label: 'Comment', value: (v) => v.comment || '' },
  ], detail.versions.slice().reverse());
  const history = table([
    { label: 'When', value: (e) => e.at },
    { label: 'Action', value: (e) => e.action },
    { label: 'Alias', value: (e) => e.alias || '–' },
    { label: 'From', value: (e) => e.from_version ?? '–', num: true },
    { label: 'To', value: (e) => e.to_version ?? '–', num: true },
    { label: 'Who', value: (e) => e.actor },
    { label: 'Comment', value: (e) => e.comment || '' },
  ], log.history.slice().reverse());
  return el('article', { class: 'model', 'data-model': name },
    el('h3', {}, `Model ${name}`),
    panel('Aliases', aliasTable),
    panel(`Versions (${detail.versions.length})`, versions),
    panel('Audit log (newest first)', history));
}

export async function render(view) {
  const refresh = async () => {
    const listing = await api('/v1/models');
    const sections = [];
    if (!canDeploy())
      sections.push(el('p', { class: 'message info' }, `Your key has the role ${currentRole()}: ` +
        'it can see the models; deploy and rollback need a key with the deploy role.'));
    if (!listing.models.length)
      sections.push(empty('The registry has no models yet: `playsight models register FOLDER --name spend`.'));
    for (const m of listing.models) sections.push(await modelSection(m.model, refresh));
    view.replaceChildren(...sections);
  };
  await refresh();
}
