/**
 * Progressive enhancement only: every form works without it. With it, an
 * evidence file goes straight to storage (S3 on AWS) with a progress bar,
 * and the form then names it by its SHA-256 instead of carrying the bytes.
 */
export const APP_JS = String.raw`(function () {
  'use strict';
  var csrf = (document.querySelector('meta[name="csrf-token"]') || {}).content || '';
  var zh = document.documentElement.lang !== 'en';
  var say = function (z, e) { return zh ? z : e; };
  var ACCEPTED = { 'application/pdf': 1, 'image/jpeg': 1, 'image/png': 1 };
  var MAX = 10 * 1024 * 1024;

  var summary = document.querySelector('[data-error-summary]');
  if (summary) summary.focus();

  function hex(buffer) {
    return Array.prototype.map.call(new Uint8Array(buffer), function (b) { return ('0' + b.toString(16)).slice(-2); }).join('');
  }

  function typeOf(file) {
    if (ACCEPTED[file.type]) return file.type;
    var n = file.name.toLowerCase();
    if (/\.pdf$/.test(n)) return 'application/pdf';
    if (/\.jpe?g$/.test(n)) return 'image/jpeg';
    if (/\.png$/.test(n)) return 'image/png';
    return '';
  }

  function put(upload, file, progress) {
    return new Promise(function (resolve, reject) {
      var xhr = new XMLHttpRequest();
      xhr.open('PUT', upload.url);
      Object.keys(upload.headers || {}).forEach(function (h) { xhr.setRequestHeader(h, upload.headers[h]); });
      xhr.upload.onprogress = function (e) { if (e.lengthComputable) { progress.max = e.total; progress.value = e.loaded; } };
      xhr.onload = function () { xhr.status >= 200 && xhr.status < 300 ? resolve() : reject(new Error(say('上传被拒绝（', 'Upload refused (') + xhr.status + ')')); };
      xhr.onerror = function () { reject(new Error(say('网络错误', 'Network error'))); };
      xhr.send(file);
    });
  }

  function uploadOne(form, file, list) {
    var item = document.createElement('li');
    var label = document.createElement('span');
    label.textContent = file.name;
    var progress = document.createElement('progress');
    progress.max = file.size || 1;
    progress.value = 0;
    progress.setAttribute('aria-label', say('上传进度：', 'Upload progress: ') + file.name);
    var state = document.createElement('span');
    state.textContent = say('正在计算校验值…', 'Computing checksum…');
    item.appendChild(label); item.appendChild(progress); item.appendChild(state);
    list.appendChild(item);
    var contentType = typeOf(file);
    if (!contentType) return Promise.reject(fail(state, say('只接受 PDF、JPEG 或 PNG 文件', 'Only PDF, JPEG or PNG files are accepted')));
    if (file.size > MAX) return Promise.reject(fail(state, say('文件超过 10 MB', 'The file is over 10 MB')));
    return file.arrayBuffer().then(function (bytes) { return crypto.subtle.digest('SHA-256', bytes); }).then(function (digest) {
      var meta = { name: file.name.slice(0, 200), contentType: contentType, size: file.size, sha256: hex(digest) };
      state.textContent = say('正在上传…', 'Uploading…');
      return fetch('/web/evidence', { method: 'POST', credentials: 'same-origin', headers: { 'content-type': 'application/json', 'x-csrf-token': csrf }, body: JSON.stringify(meta) })
        .then(function (res) { return res.json().then(function (body) { if (!res.ok) throw new Error(body.detail || res.status); return body; }); })
        .then(function (prepared) { return put(prepared.upload, file, progress); })
        .then(function () {
          progress.value = progress.max;
          state.textContent = say('已上传', 'Uploaded');
          var ref = document.createElement('input');
          ref.type = 'hidden'; ref.name = 'evidenceRef';
          ref.value = JSON.stringify({ name: meta.name, contentType: meta.contentType, sha256: meta.sha256 });
          form.appendChild(ref);
        });
    }).catch(function (error) { throw fail(state, error.message); });
  }

  function fail(state, message) {
    state.textContent = message;
    state.className = 'error';
    return new Error(message);
  }

  Array.prototype.forEach.call(document.querySelectorAll('form[data-upload]'), function (form) {
    var pending = [];
    // A file that failed stops the next submission once, so its error is read before the form goes without it.
    var failed = false;
    Array.prototype.forEach.call(form.querySelectorAll('input[type=file][data-evidence]'), function (input) {
      var list = document.createElement('ul');
      list.className = 'uploads';
      list.setAttribute('aria-live', 'polite');
      input.parentNode.appendChild(list);
      input.addEventListener('change', function () {
        var files = Array.prototype.slice.call(input.files || []);
        var uploads = files.map(function (f) { return uploadOne(form, f, list); });
        var all = Promise.all(uploads);
        pending.push(all.catch(function () { failed = true; }));
        // The bytes have gone to storage; the form itself carries only their names and digests.
        all.then(function () { input.value = ''; }, function () { input.value = ''; });
      });
    });
    form.addEventListener('submit', function (event) {
      if (form.dataset.ready === '1') return;
      event.preventDefault();
      var button = form.querySelector('button[type=submit]');
      if (button) button.disabled = true;
      Promise.all(pending).then(function () {
        if (failed) {
          failed = false;
          if (button) button.disabled = false;
          var error = form.querySelector('.uploads .error');
          if (error) { error.setAttribute('tabindex', '-1'); error.focus(); }
          return;
        }
        form.dataset.ready = '1';
        form.submit();
      });
    });
  });
})();
`;
