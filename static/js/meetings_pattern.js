// The weekly pattern form: keeps the line "This makes 10 slots a week" true as days are
// ticked and the number of meetings changes. Without scripts the server's line stands.
document.addEventListener("DOMContentLoaded", function () {
  var form = document.querySelector("[data-meetings-pattern]");
  if (!form) return;
  var preview = form.querySelector("[data-meetings-preview]");
  var count = form.querySelector('input[name="slot_count"]');
  if (!preview || !count) return;

  function update() {
    var days = form.querySelectorAll('input[name="weekdays"]:checked').length;
    var each = parseInt(count.value, 10) || 0;
    var n = days * each;
    // The words come from the page, already translated; {n} stands for the number.
    var words = days === 0 ? preview.dataset.none : n === 1 ? preview.dataset.one : preview.dataset.many;
    preview.textContent = words.replace("{n}", n);
  }

  form.addEventListener("change", update);
  count.addEventListener("input", update);
});
