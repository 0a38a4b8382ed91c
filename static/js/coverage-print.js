// "In danh sách" / "In báo cáo": the browser's print dialog (the page has a print style sheet).
document.querySelectorAll("[data-print]").forEach(function (button) {
  button.addEventListener("click", function () { window.print(); });
});
