// Live ICAO 9303 check-digit validation of the passport's two MRZ lines (progressive enhancement:
// the server says the same when the form is sent). Messages come from the page, in its language:
// data-wrong is a sentence with {field}; data-fields names the number, birth date, expiry date,
// personal number and whole-line (composite) check digits, separated by "|".
(function () {
  "use strict";
  var box = document.querySelector("[data-mrz-check]");
  if (!box) { return; }
  var inputs = box.querySelectorAll("input.mrz");
  var out = box.querySelector("[data-mrz-live]");
  var names = (box.getAttribute("data-fields") || "").split("|");
  var wrong = box.getAttribute("data-wrong") || "{field}";
  // [start, end, check-digit position] on line 2 of a TD3 (passport) MRZ.
  var FIELDS = [[0, 9, 9], [13, 19, 19], [21, 27, 27], [28, 42, 42]];

  function value(c) {
    if (c >= "0" && c <= "9") { return c.charCodeAt(0) - 48; }
    if (c >= "A" && c <= "Z") { return c.charCodeAt(0) - 55; }
    return 0; // the filler "<"
  }

  function checkDigit(text) {
    var weights = [7, 3, 1], sum = 0;
    for (var i = 0; i < text.length; i++) { sum += value(text[i]) * weights[i % 3]; }
    return String(sum % 10);
  }

  function digitOk(text, digit) {
    // An empty optional field may carry "<" as its check digit.
    return digit === checkDigit(text) || (digit === "<" && /^<*$/.test(text));
  }

  function problems(line) {
    var wrongFields = [];
    FIELDS.forEach(function (f, i) {
      if (!digitOk(line.slice(f[0], f[1]), line[f[2]])) { wrongFields.push(names[i]); }
    });
    var composite = line.slice(0, 10) + line.slice(13, 20) + line.slice(21, 43);
    if (line[43] !== checkDigit(composite)) { wrongFields.push(names[4]); }
    return wrongFields;
  }

  function update() {
    var line = inputs.length > 1 ? inputs[1].value.toUpperCase().replace(/\s+/g, "") : "";
    var shown = line.length === 44 ? problems(line) : [];
    out.textContent = shown.map(function (n) { return wrong.replace("{field}", n); }).join(" ");
    out.className = shown.length ? "error mrz-live" : "mrz-live";
  }

  inputs.forEach(function (input, index) {
    input.addEventListener("input", update);
    input.addEventListener("paste", function (event) {
      // Both lines pasted at once into the first input: split them.
      var text = (event.clipboardData || window.clipboardData).getData("text");
      var parts = text.trim().split(/\s*[\r\n]+\s*/);
      if (index === 0 && parts.length === 2 && inputs.length > 1) {
        event.preventDefault();
        inputs[0].value = parts[0].toUpperCase();
        inputs[1].value = parts[1].toUpperCase();
        update();
      }
    });
  });
  update();
})();
