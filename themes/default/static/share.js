// The "Copy link" button of share links (partials/share.html). Without this script, or
// without a clipboard, the button stays hidden and the plain share links still work.
(function () {
  "use strict";
  var buttons = document.querySelectorAll(".share-copy[data-url]");
  if (!navigator.clipboard || !buttons.length) return;
  Array.prototype.forEach.call(buttons, function (button) {
    var status = button.closest(".share").querySelector(".share-status");
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(button.getAttribute("data-url")).then(
        function () { if (status) status.textContent = "Link copied."; },
        function () { if (status) status.textContent = "Copying was blocked; copy the address from the address bar."; }
      );
    });
  });
})();
