// The console launch page (GET /roles/:role/console): submits its form once. The server includes
// this script only when the navigation was the user's own (typed, opened by the CLI, or from the
// bridge itself); otherwise the page waits for a click. Static, so the CSP needs no inline script.
(function () {
  const form = document.querySelector('form[data-launch-autosubmit]');
  if (!form) return;
  // Back from the console lands here again: submitting once more would trap the user in a loop.
  const navigation = performance.getEntriesByType && performance.getEntriesByType('navigation')[0];
  if (navigation && navigation.type === 'back_forward') return;
  const status = document.getElementById('launch-status');
  if (status) status.hidden = false;
  form.submit();
})();
