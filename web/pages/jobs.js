// Jobs: start a playsight task as a job of the caller, from a form made of the task's declared
// options (GET /v1/tasks, POST /v1/jobs; a 400 names the option, which is highlighted), the
// caller's jobs (GET /v1/jobs, refreshed while any is queued or running), one job's log
// (GET /v1/jobs/{id}/log?offset=N, followed while it runs) and cancel (DELETE /v1/jobs/{id}).
import { api, apiKey, ApiError, confirmDialog } from '../app.js';
import { el, empty, errorBox, panel, table } from '../ui.js';

const activeStates = ['queued', 'running'];
const listEveryMs = 3000;
const logEveryMs = 1500;
const noRunner = 'This service runs no jobs (start it with --jobs FOLDER).';

function isActive(state) {
  return activeStates.includes(state);
}

function stateBadge(job) {
  const kind = { succeeded: 'ok', failed: 'drift', killed: 'drift', queued: 'live', running: 'live' }[job.state] || '';
  return el('span', { class: `badge ${kind}`, 'data-job-state': job.id }, job.state);
}

// Whether the service has the job routes: its OpenAPI document lists them (asking /v1/tasks of a
// service without them is a 404, which the browser logs as an error). null: could not tell.
async function hasJobRoutes() {
  try {
    const response = await fetch('/openapi.json', { headers: { Accept: 'application/json' } });
    if (!response.ok) return null;
    const document = await response.json();
    return document && document.paths ? Boolean(document.paths['/v1/tasks']) : null;
  } catch {
    return null;
  }
}

// The job's log from byte `offset` on: {bytes, next, state} (the text is decoded by the caller,
// which keeps a streaming decoder so that a character split between two reads stays whole).
async function readLog(id, offset) {
  const headers = { Accept: 'text/plain' };
  if (apiKey()) headers.Authorization = `Bearer ${apiKey()}`;
  const path = `/v1/jobs/${encodeURIComponent(id)}/log?offset=${offset}`;
  let response;
  try {
    response = await fetch(path, { headers });
  } catch {
    throw new ApiError(0, `The service is unreachable at ${location.origin} (is playsight serve ` +
      'running?). The log follows again when it is back.');
  }
  if (!response.ok) {
    let said = response.statusText;
    try {
      said = (await response.json()).error || said;
    } catch {
      // not JSON: keep the status text
    }
    throw new ApiError(response.status, `The log of job ${id} could not be read (${response.status}): ${said}`, said);
  }
  const bytes = new Uint8Array(await response.arrayBuffer());
  const next = Number(response.headers.get('X-Log-Next-Offset'));
  return {
    bytes,
    next: Number.isFinite(next) && next >= offset ? next : offset + bytes.length,
    state: response.headers.get('X-Job-State') || '',
  };
}

// A log as a terminal would show it: without colour and cursor codes, a line rewritten after a
// carriage return (progress bars) shown as its last version. Lines are kept as they end; the
// line being written is redrawn.
class LogView {
  constructor(pre) {
    this.done = document.createTextNode('');
    this.current = document.createTextNode('');
    this.pending = '';
    pre.append(this.done, this.current);
  }

  static clean(line) {
    const plain = line.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '').replace(/\r+$/, '');
    return plain.slice(plain.lastIndexOf('\r') + 1);
  }

  append(text) {
    const lines = (this.pending + text).split('\n');
    this.pending = lines.pop();
    if (lines.length) this.done.appendData(lines.map((l) => `${LogView.clean(l)}\n`).join(''));
    this.current.data = LogView.clean(this.pending);
  }

  get empty() {
    return !this.done.data && !this.current.data;
  }
}

// --- the form of one task ---

function fieldId(option) {
  return `job-option-${option.name}`;
}

function describe(option) {
  const parts = [option.help];
  if (option.unit) parts.push(`in ${option.unit}`);
  if (option.choices && option.choices.length && option.type !== 'CHOICE') parts.push(`one of ${option.choices.join(', ')}`);
  if (option.type === 'LIST') parts.push('comma-separated');
  if (option.default !== undefined && option.type !== 'FLAG') parts.push(`default ${option.default}`);
  if (option.minimum !== undefined && option.maximum !== undefined) parts.push(`${option.minimum} to ${option.maximum}`);
  else if (option.minimum !== undefined) parts.push(`at least ${option.minimum}`);
  else if (option.maximum !== undefined) parts.push(`at most ${option.maximum}`);
  return parts.filter(Boolean).join(' · ');
}

function optionInput(option, describedBy) {
  const common = {
    id: fieldId(option), name: option.name, 'data-option': option.name,
    'aria-describedby': describedBy, required: option.required,
  };
  switch (option.type) {
    case 'FLAG':
      return el('input', { ...common, type: 'checkbox', required: false });
    case 'CHOICE':
      return el('select', common,
        el('option', { value: '' }, option.default !== undefined ? `(default: ${option.default})` : 'choose…'),
        (option.choices || []).map((choice) => el('option', { value: choice }, choice)));
    case 'INT':
    case 'NUMBER':
      return el('input', {
        ...common, type: 'number', min: option.minimum, max: option.maximum,
        step: option.type === 'INT' ? '1' : 'any', placeholder: option.default,
        inputmode: option.type === 'INT' ? 'numeric' : 'decimal',
      });
    case 'YYYY-MM-DD':
      return el('input', { ...common, type: 'date', placeholder: option.default });
    default:
      return el('input', {
        ...common, type: 'text', placeholder: option.default ?? (option.type === 'LIST' ? 'a, b, c' : null),
        spellcheck: 'false', autocomplete: 'off',
      });
  }
}

function optionField(option) {
  const helpId = `${fieldId(option)}-help`;
  const input = optionInput(option, helpId);
  const name = el('span', { class: 'name' }, option.name,
    option.required ? el('span', { class: 'required', title: 'required' }, ' *', el('span', { class: 'visually-hidden' }, ' (required)')) : null);
  const help = el('span', { class: 'note', id: helpId }, describe(option), ' ', el('code', {}, option.flag));
  if (option.type === 'FLAG')
    return el('div', { class: 'field flag' },
      el('label', { for: input.id }, input, ' ', name), help);
  return el('div', { class: 'field' }, el('label', { for: input.id }, name), input, help);
}

// The options the user filled in, as the jobs API takes them: numbers as JSON numbers (text the
// browser let through that is no number goes as it is, for the service to name), flags as true,
// lists as arrays.
function filledOptions(task, form) {
  const options = {};
  for (const option of task.options) {
    const input = form.querySelector(`[data-option="${CSS.escape(option.name)}"]`);
    if (!input) continue;
    if (option.type === 'FLAG') {
      if (input.checked) options[option.name] = true;
      continue;
    }
    const text = input.value.trim();
    if (!text) continue;
    if (option.type === 'LIST') {
      options[option.name] = text.split(',').map((item) => item.trim()).filter(Boolean);
    } else if (option.type === 'INT' || option.type === 'NUMBER') {
      const value = Number(text);
      const fits = Number.isFinite(value) && (option.type === 'NUMBER' || Number.isSafeInteger(value));
      options[option.name] = fits ? value : text;
    } else {
      options[option.name] = text;
    }
  }
  return options;
}

function limitField(name, label, value, help) {
  const id = `job-limit-${name}`;
  return el('div', { class: 'field' },
    el('label', { for: id }, el('span', { class: 'name' }, label)),
    el('input', { id, name, type: 'text', value, 'data-limit': name, 'aria-describedby': `${id}-help`, spellcheck: 'false', autocomplete: 'off' }),
    el('span', { class: 'note', id: `${id}-help` }, help));
}

// The input a 400's message is about: "options.NAME: ..." or a limit ("memory: ...").
function inputNamedBy(message, form) {
  const option = /^options\.([A-Za-z0-9_]+)/.exec(message);
  if (option) return form.querySelector(`[data-option="${CSS.escape(option[1])}"]`);
  const limit = /^(memory|wall):/.exec(message);
  if (limit) return form.querySelector(`[data-limit="${limit[1]}"]`);
  return null;
}

function taskForm(task, onStarted) {
  const error = el('div', { id: 'job-form-error', class: 'message error form-error', role: 'alert', hidden: true });
  const status = el('p', { id: 'job-form-status', class: 'note', role: 'status' });
  const submit = el('button', { type: 'submit', id: 'job-submit' }, `Start ${task.name}`);
  const fields = task.options.map(optionField);
  const form = el('form', { id: 'job-form', 'data-task': task.name, autocomplete: 'off' },
    el('p', {}, task.summary),
    task.options.length
      ? el('fieldset', {}, el('legend', {}, 'Options (empty: the default; * required)'), el('div', { class: 'fields' }, fields))
      : el('p', { class: 'note' }, `${task.name} takes no options.`),
    el('fieldset', {}, el('legend', {}, 'Limits'),
      el('div', { class: 'fields' },
        limitField('memory', 'memory', '1G', 'memory limit (512M, 2G)'),
        limitField('wall', 'wall time', '30m', 'wall-time limit (30s, 10m, 2h)'))),
    task.outputs && task.outputs.length
      ? el('p', { class: 'note' }, `Writes: ${task.outputs.map((o) => o.file || o.name).join(', ')}.`)
      : null,
    error,
    el('div', { class: 'toolbar' }, submit, status));
  const clearMarks = () => {
    error.hidden = true;
    error.textContent = '';
    for (const marked of form.querySelectorAll('[aria-invalid="true"]')) marked.removeAttribute('aria-invalid');
  };
  form.addEventListener('input', (event) => {
    if (event.target.getAttribute && event.target.getAttribute('aria-invalid')) event.target.removeAttribute('aria-invalid');
  });
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearMarks();
    status.textContent = '';
    const body = { task: task.name, options: filledOptions(task, form) };
    for (const name of ['memory', 'wall']) {
      const value = form.querySelector(`[data-limit="${name}"]`).value.trim();
      if (value) body[name] = value;
    }
    submit.disabled = true;
    status.textContent = 'Submitting…';
    try {
      const job = await api('/v1/jobs', { method: 'POST', body });
      status.textContent = `Started job ${job.id} (${job.task}): ${job.state}.`;
      await onStarted(job);
    } catch (failure) {
      status.textContent = '';
      const said = failure instanceof ApiError && failure.status === 400 && failure.said ? failure.said : failure.message;
      error.textContent = said;
      error.hidden = false;
      const input = failure.status === 400 ? inputNamedBy(said, form) : null;
      if (input) {
        input.setAttribute('aria-invalid', 'true');
        input.setAttribute('aria-errormessage', error.id);
        input.focus();
      }
    } finally {
      submit.disabled = false;
    }
  });
  return form;
}

// --- the page ---

export async function render(view) {
  const known = await hasJobRoutes();
  if (known === false) {
    view.append(empty(noRunner));
    return null;
  }
  let catalog;
  try {
    catalog = await api('/v1/tasks');
  } catch (failure) {
    if (failure.status !== 404) throw failure;
    view.append(empty(noRunner));
    return null;
  }
  const tasks = catalog.tasks.filter((t) => t.job !== false);

  let stopped = false;
  let listTimer = null;
  let selected = null;  // id of the job shown below the list
  let stopDetail = () => {};

  // The task picker, grouped by part, and the chosen task's form.
  const parts = [...new Set(tasks.map((t) => t.part))];
  const picker = el('select', { id: 'job-task' },
    el('option', { value: '' }, 'choose a task…'),
    parts.map((part) => el('optgroup', { label: part },
      tasks.filter((t) => t.part === part).map((t) => el('option', { value: t.name }, t.name)))));
  const formArea = el('div', { id: 'job-form-area' },
    el('p', { class: 'note' }, `${tasks.length} tasks can run as jobs; choose one to see its options.`));
  const choose = () => {
    const task = tasks.find((t) => t.name === picker.value);
    if (!task) {
      formArea.replaceChildren(el('p', { class: 'note' }, 'Choose a task to see its options.'));
      return;
    }
    formArea.replaceChildren(taskForm(task, async (job) => {
      await refreshList();
      openJob(job.id);
    }));
  };
  picker.addEventListener('change', choose);

  const listArea = el('div', { id: 'jobs-list' });
  const listErrors = el('div');
  const detailArea = el('div', { id: 'job-detail-area' },
    el('p', { class: 'note' }, 'Choose a job in the list to see its log.'));

  // The caller's jobs; polled again while any is queued or running.
  async function refreshList() {
    clearTimeout(listTimer);
    listTimer = null;
    let listing;
    try {
      listing = await api('/v1/jobs');
      listErrors.replaceChildren();
    } catch (failure) {
      listErrors.replaceChildren(errorBox(failure));
      if (!stopped) listTimer = setTimeout(refreshList, listEveryMs);
      return;
    }
    if (stopped) return;
    const focused = document.activeElement && document.activeElement.dataset
      ? document.activeElement.dataset.jobOpen : undefined;
    const jobs = listing.jobs;
    if (!jobs.length) {
      listArea.replaceChildren(empty('No jobs yet: choose a task above and start it.'));
    } else {
      listArea.replaceChildren(table([
        { label: 'Job', value: (j) => el('button', {
          type: 'button', class: 'secondary', 'data-job-open': j.id,
          'aria-current': String(j.id) === String(selected) ? 'true' : null,
          'aria-label': `Job ${j.id}: show its log`, onclick: () => openJob(j.id),
        }, `#${j.id}`) },
        { label: 'Task', value: (j) => j.task },
        { label: 'State', value: (j) => stateBadge(j) },
        { label: 'Reason', value: (j) => j.reason || '–' },
        { label: 'Submitted', value: (j) => j.submitted_at || '–' },
      ], jobs));
      if (focused !== undefined) {
        const again = listArea.querySelector(`[data-job-open="${CSS.escape(focused)}"]`);
        if (again) again.focus();
      }
    }
    if (!stopped && jobs.some((j) => isActive(j.state))) listTimer = setTimeout(refreshList, listEveryMs);
  }

  // One job: its state, arguments, artifacts, Cancel while it is not finished, and its log,
  // followed while it runs.
  function openJob(id) {
    stopDetail();
    selected = id;
    for (const button of listArea.querySelectorAll('[data-job-open]')) {
      if (button.dataset.jobOpen === String(id)) button.setAttribute('aria-current', 'true');
      else button.removeAttribute('aria-current');
    }
    let detailStopped = false;
    let logTimer = null;
    let offset = 0;
    const decoder = new TextDecoder();
    const summary = el('div');
    const errors = el('div');
    const log = el('pre', { id: 'job-log', class: 'log', tabindex: '0', 'aria-label': `Log of job ${id}`, 'aria-live': 'off' });
    const logView = new LogView(log);
    const follow = el('p', { class: 'note', role: 'status' }, 'Reading the log…');
    detailArea.replaceChildren(el('div', { id: 'job-detail', 'data-job-id': id }, summary, errors, follow, log));

    const showSummary = (job) => {
      const cancel = isActive(job.state)
        ? el('button', { type: 'button', class: 'danger', id: 'job-cancel', onclick: () => cancelJob(job) }, `Cancel job ${job.id}`)
        : null;
      const command = ['playsight', job.task, ...(job.arguments || [])].join(' ');
      summary.replaceChildren(
        el('h4', {}, `Job ${job.id} · ${job.task}`),
        el('div', { class: 'toolbar' }, stateBadge(job), job.reason ? el('span', {}, job.reason) : null, cancel),
        el('dl', { class: 'facts' },
          el('div', {}, el('dt', {}, 'Command'), el('dd', {}, el('code', {}, command))),
          el('div', {}, el('dt', {}, 'Submitted'), el('dd', {}, job.submitted_at || '–')),
          el('div', {}, el('dt', {}, 'Started'), el('dd', {}, job.started_at || '–')),
          el('div', {}, el('dt', {}, 'Finished'), el('dd', {}, job.finished_at || '–')),
          el('div', {}, el('dt', {}, 'Exit code'), el('dd', {}, job.exit_code ?? '–')),
          job.limits ? el('div', {}, el('dt', {}, 'Limits'), el('dd', {}, `memory ${job.limits.memory}, wall ${job.limits.wall}, CPU ${job.limits.cpu}`)) : null,
          el('div', {}, el('dt', {}, 'Isolation'), el('dd', {}, job.isolation || '–')),
          el('div', {}, el('dt', {}, 'Artifacts'), el('dd', {}, job.artifacts && job.artifacts.length ? job.artifacts.join(', ') : '–'))));
    };

    const loadSummary = async () => {
      try {
        const job = await api(`/v1/jobs/${encodeURIComponent(id)}`);
        if (!detailStopped) showSummary(job);
      } catch (failure) {
        if (!detailStopped) errors.replaceChildren(errorBox(failure));
      }
    };

    const poll = async () => {
      let state = '';
      try {
        const page = await readLog(id, offset);
        if (detailStopped) return;
        errors.replaceChildren();
        offset = page.next;
        state = page.state;
        const text = decoder.decode(page.bytes, { stream: isActive(state) });
        if (text) {
          const atEnd = log.scrollTop + log.clientHeight >= log.scrollHeight - 8;
          logView.append(text);
          if (atEnd) log.scrollTop = log.scrollHeight;
        }
        log.dataset.state = state;
      } catch (failure) {
        if (detailStopped) return;
        errors.replaceChildren(errorBox(failure));
        follow.textContent = `Reading the log again in ${logEveryMs / 1000} s.`;
        logTimer = setTimeout(poll, logEveryMs);
        return;
      }
      if (isActive(state)) {
        follow.textContent = `The job is ${state}; its log is followed every ${logEveryMs / 1000} s.`;
        logTimer = setTimeout(poll, logEveryMs);
      } else {
        follow.textContent = `The job has ${state === 'killed' ? 'been killed' : state}; this is its whole log.`;
        if (logView.empty) logView.append('(the log is empty)');
        await loadSummary();
        if (!stopped) refreshList();
      }
    };

    async function cancelJob(job) {
      const body = el('p', {}, `Stop job ${job.id} (${job.task}, ${job.state})? A running job is killed; ` +
        'what it wrote so far stays in its artifacts.');
      if (!(await confirmDialog(`Cancel job ${job.id}`, body, 'Cancel job'))) return;
      try {
        const after = await api(`/v1/jobs/${encodeURIComponent(job.id)}`, { method: 'DELETE' });
        if (!detailStopped) showSummary(after);
      } catch (failure) {
        if (!detailStopped) errors.replaceChildren(errorBox(failure));
      }
      await refreshList();
    }

    stopDetail = () => {
      detailStopped = true;
      clearTimeout(logTimer);
    };
    loadSummary().then(poll);
  }

  view.append(
    panel('Start a task',
      el('div', { class: 'toolbar' }, el('label', { for: 'job-task' }, 'Task'), picker), formArea),
    el('div', { class: 'grid' },
      panel('Your jobs (newest first)', listErrors, listArea),
      panel('Job', detailArea)));
  await refreshList();
  return () => {
    stopped = true;
    clearTimeout(listTimer);
    stopDetail();
  };
}
