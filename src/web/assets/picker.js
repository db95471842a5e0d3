// Role picker: fuzzy filter, keyboard and favourites. A module served as a static file (the CSP
// allows no inline script); the matcher is the CLI's own (src/wire/fuzzy.ts, served compiled), so
// `prd ops` finds prod-ops here exactly as `rambridge creds "prd ops"` does.
// Without JavaScript the same filter runs on the server (`/roles?q=`), and every button still works.
import { fuzzyScore } from '/assets/fuzzy.js';

const input = document.getElementById('role-filter');
const count = document.getElementById('role-count');
const none = document.getElementById('no-match');
const roles = Array.from(document.querySelectorAll('[data-testid="role"]'));
const accounts = Array.from(document.querySelectorAll('[data-testid="account"]'));
// Each role's searchable fields, one per line (account name and alias, id, RAM role name,
// description, granting groups), split once rather than on every key press.
const fields = new Map(roles.map((role) => [role, (role.getAttribute('data-search') || '').split('\n')]));
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
  for (const role of roles) role.hidden = query !== '' && fuzzyScore(query, fields.get(role)) === undefined;
  for (const account of accounts) account.hidden = !account.querySelector('[data-testid="role"]:not([hidden])');
  visible = roles.filter((role) => !role.hidden);
  if (none) none.hidden = visible.length !== 0;
  for (const role of roles) role.classList.remove('active');
  active = -1;
  if (query !== '') highlight(0, false);
  announce();
}

// Enter on the highlighted role opens its console (in a new tab, as the button does); an elevated
// role needs a justification first, so Enter takes the user there instead.
function openHighlighted() {
  const role = visible[active];
  if (!role) return false;
  const justification = role.querySelector('textarea[name="justification"]');
  if (justification && !justification.value.trim()) {
    justification.focus();
    return true;
  }
  role.querySelector('[data-testid="open-console"]').click();
  return true;
}

if (input) {
  input.addEventListener('input', filter);
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

// Favourites: the star is a small form (works without JavaScript, answering with a redirect back);
// with JavaScript it is sent in the background and the star flips in place.
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
    const label = favourite ? button.dataset.labelOn : button.dataset.labelOff;
    if (label) button.setAttribute('aria-label', label);
  });
}
