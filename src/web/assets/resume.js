// Back on a role after signing in again (web/resume.ts): focus the action the user had pressed
// when the session turned out to have ended, so Enter continues it. Never presses it: the user does.
(function () {
  const notice = document.querySelector('[data-focus-role]');
  if (!notice) return;
  const roleId = notice.getAttribute('data-focus-role');
  const testid = notice.getAttribute('data-focus-testid');
  // Compared as strings, not built into a selector: a role id never becomes CSS.
  const role = Array.from(document.querySelectorAll('[data-role-id]')).find(function (e) {
    return e.getAttribute('data-role-id') === roleId;
  });
  const button =
    role &&
    Array.from(role.querySelectorAll('[data-testid]')).find(function (e) {
      return e.getAttribute('data-testid') === testid;
    });
  if (!button) return;
  // An elevated role's reason was not carried through sign-in (it may be confidential): the
  // empty field comes first, then the button.
  const reason = role.querySelector('textarea[name="justification"]');
  const target = reason && reason.value.trim() === '' ? reason : button;
  target.focus();
  if (target.scrollIntoView) target.scrollIntoView({ block: 'center' });
})();
