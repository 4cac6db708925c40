// Shows and wires the receipt's "Print" button; without scripts the button stays hidden and the
// browser's own print (Ctrl+P) prints the same page.
const button = document.getElementById("print");
if (button) {
  button.hidden = false;
  button.addEventListener("click", () => window.print());
}
