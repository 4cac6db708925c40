// The waiting page asks for itself every two seconds (instead of reloading, which would take a
// reader back to the top). When the answer has arrived (the page no longer carries
// `data-waiting`), it says so in the page's polite live region and turns the link into "See the
// answer"; the focus stays where the payer left it. Without this script the link reloads by hand.
const status = document.getElementById("wait-status");
const next = document.getElementById("wait-next");
if (status && next) {
  const ask = async () => {
    try {
      const response = await fetch(next.href, { cache: "no-store", credentials: "same-origin" });
      const page = await response.text();
      if (response.ok && !page.includes("data-waiting")) {
        status.textContent = status.dataset.arrived;
        next.textContent = status.dataset.see;
        document.querySelector(".spinner")?.classList.add("done");
        return;
      }
    } catch {
      // The gateway did not answer this time: ask again.
    }
    setTimeout(ask, 2000);
  };
  setTimeout(ask, 2000);
}
