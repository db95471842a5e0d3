// Role picker: fuzzy filter, keyboard and favourites. A module served as a static file (the CSP
// allows no inline script); the filter is the server's own (src/wire/role-filter.ts over the CLI's
// matcher src/wire/fuzzy.ts, served compiled), so `prd ops` finds prod-ops here exactly as
// `/roles?q=prd+ops` and `rambridge creds "prd ops"` do.
// Without JavaScript the same filter runs on the server (`/roles?q=`), and every button still works.
import { visibleRoles } from '/assets/role-filter.js';

const input = document.getElementById('role-filter');
const count = document.getElementById('role-count');
const none = document.getElementById('no-match');
const roles = Array.from(document.querySelectorAll('[data-testid="role"]'));
// The groups roles are shown in (favourites, recent, accounts): hidden when none of theirs matches.
const groups = Array.from(document.querySelectorAll('[data-group]'));
// Each role's searchable fields, one per line (account name, alias and id, role id, RAM role name,
// description, granting groups), split once rather than on every key press.
const fields = roles.map((role) => (role.getAttribute('data-search') || '').split('\n'));
let visible = roles.filter((role) => !role.hidden);
let active = -1;

function announce() {
  if (!count) return;
  const template = visible.length === 1 ? count.dataset.one : count.dataset.many;
  count.textContent = (template || '{count}').replace('{count}', String(visible.length));
}

function highlight(index, scroll) {
  if (active >= 0 && visible[active]) visible[active].classList.remove('active');
  active = visible.length === 0 ? -1 : Math.max(0, Math.min(index, visible.length - 1));
  const role = visible[active];
  if (!role) return;
  role.classList.add('active');
  if (scroll) role.scrollIntoView({ block: 'nearest' });
}

function filter() {
  const query = input.value.trim();
  const shown = visibleRoles(query, fields);
  roles.forEach((role, i) => (role.hidden = !shown[i]));
  for (const group of groups) group.hidden = !group.querySelector('[data-testid="role"]:not([hidden])');
  visible = roles.filter((role) => !role.hidden);
  if (none) none.hidden = visible.length !== 0;
  for (const role of roles) role.classList.remove('active');
  active = -1;
  if (query !== '') highlight(0, false);
  announce();
}

// The address follows the filter (`/roles?q=…`, as the form without JavaScript would send it), so
// a reload or a shared link shows the same roles.
function rememberQuery() {
  if (window.location.pathname !== '/roles') return;
  const params = new URLSearchParams(window.location.search);
  if (input.value.trim() === '') params.delete('q');
  else params.set('q', input.value);
  const search = params.toString();
  window.history.replaceState(null, '', `/roles${search ? `?${search}` : ''}`);
}

// Enter on the highlighted role opens its console (in a new tab, as the button does: the picker
// stays, so the next role is one key press away); an elevated
// role needs a justification first, so Enter takes the user there instead.
function openHighlighted() {
  const role = visible[active];
  if (!role) return false;
  const open = role.querySelector('[data-testid="open-console"]');
  // The session ends too soon for anything (session-ending.js): nothing to open, nor to justify.
  if (open.getAttribute('aria-disabled') === 'true') return true;
  const justification = role.querySelector('textarea[name="justification"]');
  if (justification && !justification.value.trim()) {
    justification.focus();
    return true;
  }
  open.click();
  return true;
}

if (input) {
  input.addEventListener('input', () => {
    filter();
    rememberQuery();
  });
  input.addEventListener('keydown', (event) => {
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      highlight(active + (event.key === 'ArrowDown' ? 1 : -1), true);
    } else if (event.key === 'Enter') {
      // With JavaScript the filter is live: Enter opens the highlighted role instead of reloading.
      event.preventDefault();
      openHighlighted();
    } else if (event.key === 'Escape' && input.value !== '') {
      input.value = '';
      filter();
      rememberQuery();
    }
  });
  document.addEventListener('keydown', (event) => {
    if (event.key !== '/' || event.ctrlKey || event.metaKey || event.altKey) return;
    const target = event.target;
    if (target instanceof HTMLElement && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))) return;
    event.preventDefault();
    input.focus();
    input.select();
  });
  if (input.value.trim() !== '') filter();
  announce();
}

// Favourites: the star is a small form posting to /roles/favourite (without JavaScript it answers
// with a redirect back to this page, the role now among the favourites); with JavaScript it is
// sent in the background and the star flips in place: the role moves up on the next visit, not
// from under the pointer.
for (const form of document.querySelectorAll('form[data-favourite]')) {
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const button = form.querySelector('button');
    const response = await fetch(form.action, {
      method: 'POST',
      body: new URLSearchParams(new FormData(form)),
      headers: { Accept: 'application/json' },
      credentials: 'same-origin',
    });
    if (!response.ok) return form.submit();
    const { favourite } = await response.json();
    form.querySelector('input[name="favourite"]').value = favourite ? 'false' : 'true';
    button.setAttribute('aria-pressed', String(favourite));
    button.textContent = favourite ? '★' : '☆';
    // The accessible name stays "Favourite <role>" (aria-pressed says the state); the tooltip says what a click does.
    const title = favourite ? button.dataset.titleOn : button.dataset.titleOff;
    if (title) button.setAttribute('title', title);
  });
}
