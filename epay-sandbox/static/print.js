// Wires the electronic check's "Print" button; the page works without it (Ctrl+P).
document.getElementById("print")?.addEventListener("click", () => window.print());
