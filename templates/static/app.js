window.xiaoqi = window.xiaoqi || {};

/* Matching pages: drag the shortlist into a new order. Without the script the up/down
   buttons and the rank numbers do the same; with it, dropping a row posts the renumber
   form with graduate_ids in the new order. Pointer events, so mouse, pen and touch work
   alike (a touch drags from the handle only, so the page still scrolls). */
(function () {
  'use strict';
  var controls = 'input, button, a, select, textarea, label';

  function ids(list) {
    return Array.prototype.map.call(list.children, function (li) { return li.getAttribute('data-graduate-id'); });
  }

  function submitOrder(list, form) {
    var order = ids(list);
    Array.prototype.forEach.call(form.querySelectorAll('input[name=graduate_ids]'), function (input) {
      input.parentNode.removeChild(input);
    });
    order.forEach(function (id, at) {
      var input = document.createElement('input');
      input.type = 'hidden';
      input.name = 'graduate_ids';
      input.value = id;
      form.appendChild(input);
      var rank = document.getElementById('rank-' + id);
      if (rank) { rank.value = String(at + 1); }
    });
    list.classList.add('saving');
    form.submit();
  }

  function enhance(list) {
    var form = document.getElementById(list.getAttribute('data-order-form'));
    if (!form || list.children.length < 2) { return; }
    list.classList.add('draggable');
    var dragged = null;
    var before = '';

    list.addEventListener('pointerdown', function (event) {
      var row = event.target.closest('li');
      if (!row || row.parentNode !== list || event.button > 0) { return; }
      var onHandle = event.target.closest('.drag-handle');
      if (event.target.closest(controls) || (event.pointerType === 'touch' && !onHandle)) { return; }
      event.preventDefault();
      dragged = row;
      before = ids(list).join(',');
      row.classList.add('dragging');
      list.setPointerCapture(event.pointerId);
    });

    list.addEventListener('pointermove', function (event) {
      if (!dragged) { return; }
      var rows = Array.prototype.filter.call(list.children, function (li) { return li !== dragged; });
      var next = null;
      for (var i = 0; i < rows.length; i++) {
        var box = rows[i].getBoundingClientRect();
        if (event.clientY < box.top + box.height / 2) { next = rows[i]; break; }
      }
      if (next !== dragged.nextElementSibling) { list.insertBefore(dragged, next); }
    });

    function finish(commit) {
      if (!dragged) { return; }
      dragged.classList.remove('dragging');
      dragged = null;
      if (commit && ids(list).join(',') !== before) { submitOrder(list, form); }
    }
    list.addEventListener('pointerup', function () { finish(true); });
    list.addEventListener('pointercancel', function () { finish(false); });
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll('ol.shortlist[data-order-form]'), enhance);
  }
  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', start);
  } else {
    start();
  }
}());

/* Copy buttons (a graduate's personal link): shown only where the script and the clipboard
   work; without them the link stays in a read-only field to select and copy by hand. */
(function () {
  'use strict';

  function enhance(button) {
    var field = document.getElementById(button.getAttribute('data-copy'));
    if (!field || !navigator.clipboard) { return; }
    var label = button.textContent;
    button.hidden = false;
    button.addEventListener('click', function () {
      navigator.clipboard.writeText(field.value).then(function () {
        button.textContent = button.getAttribute('data-copied') || label;
        setTimeout(function () { button.textContent = label; }, 2000);
      }, function () {
        field.focus();
        field.select();
      });
    });
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll('button[data-copy]'), enhance);
    Array.prototype.forEach.call(document.querySelectorAll('input[data-copy-source]'), function (input) {
      input.addEventListener('focus', function () { input.select(); });
    });
  }
  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', start);
  } else {
    start();
  }
}());

/* Check-in page: scan a pass's QR code with the camera where the browser can
   (BarcodeDetector and getUserMedia); the code fills the form, which is posted as if
   typed. Elsewhere the section stays hidden and the typed code is the way in. */
(function () {
  'use strict';
  var section = document.querySelector('[data-checkin-scanner]');
  var form = document.querySelector('[data-checkin-form]');
  if (!section || !form || !('BarcodeDetector' in window) || !navigator.mediaDevices ||
      !navigator.mediaDevices.getUserMedia) { return; }
  var start = section.querySelector('[data-scan-start]');
  var stop = section.querySelector('[data-scan-stop]');
  var video = section.querySelector('[data-scan-video]');
  var status = section.querySelector('[data-scan-status]');
  var stream = null;
  var timer = null;

  function close() {
    if (timer) { window.clearInterval(timer); timer = null; }
    if (stream) { stream.getTracks().forEach(function (t) { t.stop(); }); stream = null; }
    video.hidden = true;
    stop.hidden = true;
    start.hidden = false;
  }

  window.BarcodeDetector.getSupportedFormats().then(function (formats) {
    if (formats.indexOf('qr_code') < 0) { return; }
    var detector = new window.BarcodeDetector({ formats: ['qr_code'] });
    section.hidden = false;
    start.addEventListener('click', function () {
      navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' }, audio: false }).then(function (s) {
        stream = s;
        video.srcObject = s;
        video.hidden = false;
        start.hidden = true;
        stop.hidden = false;
        status.textContent = section.getAttribute('data-looking');
        video.play();
        timer = window.setInterval(function () {
          if (video.readyState < 2) { return; }
          detector.detect(video).then(function (codes) {
            if (!codes.length || !stream) { return; }
            form.querySelector('input[name=code]').value = codes[0].rawValue;
            close();
            form.submit();
          }).catch(function () {});
        }, 300);
      }).catch(function () {
        status.textContent = section.getAttribute('data-denied');
      });
    });
    stop.addEventListener('click', close);
  }).catch(function () {});
})();
