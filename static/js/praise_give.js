// The praise form: a filter box for long class lists, a count of children chosen, a
// character count for the note, and a target list narrowed to the children ticked.
// Without scripts the form still works: every class can be opened and every target shown.
document.addEventListener("DOMContentLoaded", function () {
  var form = document.querySelector("[data-praise-form]");
  if (!form) return;

  var boxes = Array.prototype.slice.call(form.querySelectorAll('input[name="children"]'));
  var count = form.querySelector("[data-praise-count]");
  var target = form.querySelector("[data-praise-target]");

  function chosen() {
    return boxes.filter(function (box) { return box.checked; });
  }

  function showCount() {
    if (!count) return;
    var n = chosen().length;
    // The words come from the page, already translated; {n} stands for the number.
    var words = n === 0 ? count.dataset.none : n === 1 ? count.dataset.one : count.dataset.many;
    count.textContent = words.replace("{n}", n);
  }

  function narrowTargets() {
    if (!target) return;
    var ticked = {};
    chosen().forEach(function (box) { ticked[box.value] = true; });
    target.querySelectorAll("optgroup").forEach(function (group) {
      var show = !!ticked[group.dataset.child];
      group.hidden = !show;
      group.disabled = !show;
    });
    var option = target.options[target.selectedIndex];
    if (option && option.parentElement.tagName === "OPTGROUP" && option.parentElement.disabled) {
      target.value = "";
    }
  }

  boxes.forEach(function (box) {
    box.addEventListener("change", function () { showCount(); narrowTargets(); });
  });
  showCount();
  narrowTargets();

  var filter = form.querySelector("[data-praise-filter]");
  var classes = Array.prototype.slice.call(form.querySelectorAll("[data-praise-class]"));
  var noMatch = form.querySelector("[data-praise-nomatch]");
  if (filter && boxes.length > 8) {
    filter.hidden = false;
    var wasOpen = classes.map(function (group) { return group.open; });
    filter.addEventListener("input", function () {
      var words = filter.value.trim().toLowerCase();
      var any = false;
      classes.forEach(function (group, i) {
        var seen = 0;
        group.querySelectorAll("[data-praise-name]").forEach(function (pick) {
          var match = !words || pick.dataset.praiseName.indexOf(words) !== -1;
          pick.hidden = !match;
          if (match) seen += 1;
        });
        group.hidden = seen === 0;
        group.open = words ? seen > 0 : wasOpen[i];
        if (seen) any = true;
      });
      if (noMatch) noMatch.hidden = any;
    });
  }

  var note = form.querySelector("[data-praise-note]");
  var chars = form.querySelector("[data-praise-chars]");
  if (note && chars) {
    var max = parseInt(chars.dataset.max, 10);
    var update = function () {
      var left = max - note.value.length;
      chars.textContent = chars.dataset.left.replace("{n}", left);
    };
    note.addEventListener("input", update);
    update();
  }
});
