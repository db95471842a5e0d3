// The picker and the console launch page with the session ending too soon for anything. Their
// actions come disabled, each described by the alert that says why (aria-describedby). A disabled
// button is skipped by Tab, so here they become aria-disabled instead: the keyboard and a screen
// reader still find them and hear why (WAI-ARIA APG, "Focusability of disabled controls"), and this
// script keeps them from acting (a click, Enter, the picker's Enter-to-open). Without
// JavaScript they stay disabled.
for (const button of document.querySelectorAll('button[disabled][aria-describedby="session-ending"]')) {
  button.setAttribute('aria-disabled', 'true');
  button.disabled = false;
}
// Cancelled at the click (Enter and Space on a button are clicks too), before the browser checks the
// form: an elevated role's empty justification would be reported and take the focus, for an action
// the page says cannot be done. The submit guard stays for a form sent some other way.
document.addEventListener(
  'click',
  (event) => {
    if (event.target instanceof HTMLElement && event.target.closest('button[aria-disabled="true"]')) event.preventDefault();
  },
  true,
);
document.addEventListener(
  'submit',
  (event) => {
    const submitter = event.submitter;
    if (submitter && submitter.getAttribute('aria-disabled') === 'true') event.preventDefault();
  },
  true,
);
// The alert is the page's message and takes the focus: always on the launch page (opened to act at
// once), on the picker when back from sign-in to an action it cannot do.
const alert = document.querySelector('[data-focus-self]');
if (alert) alert.focus();
