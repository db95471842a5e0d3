// Role picker: filter roles as you type. Served as a static file so the CSP needs no inline script.
(function () {
  const input = document.getElementById('role-filter');
  if (!input) return;
  const roles = Array.from(document.querySelectorAll('[data-testid="role"]'));
  const accounts = Array.from(document.querySelectorAll('[data-testid="account"]'));
  const none = document.getElementById('no-match');
  input.addEventListener('input', function () {
    const words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
    let shown = 0;
    for (const role of roles) {
      const text = role.getAttribute('data-search') || '';
      const match = words.every(function (w) {
        return text.includes(w);
      });
      role.hidden = !match;
      if (match) shown++;
    }
    for (const account of accounts) {
      account.hidden = !account.querySelector('[data-testid="role"]:not([hidden])');
    }
    none.hidden = shown !== 0;
  });
  input.focus();
})();
