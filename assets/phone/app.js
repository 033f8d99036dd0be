// The phone page of a roundtable session. Everything it sends and receives
// is sealed with NaCl's secretbox (tweetnacl) under a key made from the
// room secret in this page's address after '#', which the browser never
// sends; the host only ever sees sealed bytes. No text from the host is
// put into the page as HTML: only as text.
(function () {
  'use strict';

  var CONTEXT = 'roundtable phones 1';
  var ALPHABET = 'abcdefghijklmnopqrstuvwxyz234567';
  var key = null;
  var phone = null;
  var counter = Date.now() * 1000;
  var head = 0;
  var current = null;
  // Why the phone was sent back to the list of names, to say there.
  var sentBack = null;

  function $(id) { return document.getElementById(id); }

  function say(text) { $('status').textContent = text; }

  function fromBase32(text) {
    var bits = 0, acc = 0, out = [];
    text = text.toLowerCase().replace(/[^a-z2-7]/g, '');
    for (var i = 0; i < text.length; i++) {
      acc = (acc << 5) | ALPHABET.indexOf(text.charAt(i));
      bits += 5;
      if (bits >= 8) {
        bits -= 8;
        out.push((acc >> bits) & 255);
      }
    }
    return new Uint8Array(out);
  }

  function toBase64(bytes) {
    var s = '';
    for (var i = 0; i < bytes.length; i++) s += String.fromCharCode(bytes[i]);
    return btoa(s);
  }

  function fromBase64(text) {
    var s = atob(text.trim());
    var out = new Uint8Array(s.length);
    for (var i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
    return out;
  }

  function makeKey(secret) {
    var context = new TextEncoder().encode(CONTEXT);
    var all = new Uint8Array(context.length + secret.length);
    all.set(context, 0);
    all.set(secret, context.length);
    return nacl.hash(all).subarray(0, 32);
  }

  // Every request is padded with spaces to a multiple of PAD bytes (JSON
  // passes over them), so its size does not tell a listener the vote.
  var PAD = 512;
  function padded(text) {
    var bytes = new TextEncoder().encode(text);
    var len = Math.max(1, Math.ceil(bytes.length / PAD)) * PAD;
    var out = new Uint8Array(len);
    out.fill(32);
    out.set(bytes, 0);
    return out;
  }

  function seal(obj) {
    var nonce = nacl.randomBytes(24);
    var box = nacl.secretbox(padded(JSON.stringify(obj)), nonce, key);
    var all = new Uint8Array(24 + box.length);
    all.set(nonce, 0);
    all.set(box, 24);
    return toBase64(all);
  }

  function open(text) {
    var all = fromBase64(text);
    var plain = nacl.secretbox.open(all.subarray(24), all.subarray(0, 24), key);
    if (!plain) throw new Error('the answer did not open');
    return JSON.parse(new TextDecoder().decode(plain));
  }

  var GONE = 'The session cannot be reached: the facilitator\u2019s laptop may have stopped it, or this phone has left the room\u2019s Wi-Fi.';

  async function call(ask) {
    counter += 1;
    ask.n = counter;
    if (phone) ask.phone = phone;
    var r;
    try {
      r = await fetch('/api', {
        method: 'POST',
        headers: { 'content-type': 'text/plain' },
        body: seal(ask),
        cache: 'no-store'
      });
    } catch (e) {
      // The browser's own words ("Failed to fetch") tell nobody anything.
      throw new Error(GONE);
    }
    if (r.status === 403) throw new Error('This page\u2019s key does not open the room: scan the code on the screen again.');
    if (r.status === 429) throw new Error('Too many tries: wait a minute.');
    if (!r.ok) throw new Error('The room did not answer (' + r.status + ').');
    return open(await r.text());
  }

  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined) e.textContent = text;
    if (cls) e.className = cls;
    return e;
  }

  function showJoin(hello) {
    $('title').textContent = hello.title || 'Roundtable';
    $('room').hidden = true;
    $('join').hidden = false;
    var list = $('people');
    list.textContent = '';
    if (hello.closed) {
      say('The facilitator has closed the door to new phones.');
      return;
    }
    if (sentBack) { say(sentBack); sentBack = null; } else { say('Choose your name to join.'); }
    hello.people.forEach(function (p) {
      var b = el('button', p.id + ' \u2014 ' + p.role, 'choice');
      b.type = 'button';
      b.addEventListener('click', function () { join(p.id); });
      list.appendChild(b);
    });
    if (hello.nameless) {
      var g = el('button', 'Join without a name', 'choice');
      g.type = 'button';
      g.addEventListener('click', function () { join(null); });
      list.appendChild(g);
    }
  }

  async function join(id) {
    say(id ? 'Joining as ' + id + '\u2026' : 'Joining without a name\u2026');
    try {
      var a = await call({ op: 'join', participant: id });
      if (a.error) { say(a.error); return; }
      phone = a.phone;
      try { sessionStorage.setItem('roundtable-phone', phone); } catch (e) { /* private mode */ }
      $('join').hidden = true;
      $('room').hidden = false;
      $('who').hidden = false;
      $('who').textContent = (a.asking ? 'Asking to join as ' : 'You are ') + a.me + '.';
      say(a.asking ? 'Asked to join as ' + a.me + ': the facilitator lets you in.' : 'Joined as ' + a.me + '.');
      showAsking(a.asking);
      head = 0;
      watch();
    } catch (e) {
      say(e.message);
    }
  }

  // Until the facilitator lets it in, a phone joining under a name shows
  // the number to match, and nothing it could do in that name.
  function showAsking(number) {
    var asking = number !== null && number !== undefined;
    $('asking').hidden = !asking;
    $('room').hidden = asking;
    if (asking) $('asking-number').textContent = String(number);
  }

  function render(s) {
    current = s;
    var wasAsking = !$('asking').hidden;
    showAsking(s.asking);
    if (wasAsking && (s.asking === null || s.asking === undefined)) say('You are in: the facilitator let your phone in.');
    head = s.head;
    $('title').textContent = s.title || 'Roundtable';
    if (s.me) {
      $('who').hidden = false;
      $('who').textContent = (s.asking ? 'Asking to join as ' : 'You are ') + s.me + '.';
    }
    if (s.stage) {
      $('stage-title').textContent = s.stage.title;
      $('stage-prompt').textContent = s.stage.prompt;
      $('stage-time').textContent = s.stage.paused ? 'Paused.' :
        (s.stage.minutes_left > 0 ? 'About ' + s.stage.minutes_left + ' minute' + (s.stage.minutes_left === 1 ? '' : 's') + ' left.' : 'Time is up for this part.');
    } else {
      $('stage-title').textContent = 'Between parts of the agenda.';
      $('stage-prompt').textContent = '';
      $('stage-time').textContent = '';
    }
    renderVote(s.round);
    // Without a name a phone follows and sends words, but does not vote or
    // queue to speak (one vote each needs to know who is who).
    $('guest').hidden = s.named;
    $('vote-options').hidden = $('vote-options').hidden || !s.named;
    $('dots').hidden = $('dots').hidden || !s.named;
    $('dots-send').hidden = $('dots-send').hidden || !s.named;
    $('ranking').hidden = $('ranking').hidden || !s.named;
    $('ranking-send').hidden = $('ranking-send').hidden || !s.named;
    $('hand-section').hidden = !s.named;
    var hand = $('hand');
    hand.setAttribute('aria-pressed', s.hand ? 'true' : 'false');
    hand.textContent = s.hand ? 'Lower my hand' : 'Raise my hand';
    var said = $('said');
    said.textContent = '';
    s.said.forEach(function (x) {
      var words = x.status === 'waiting' ? 'waiting for the facilitator' :
        x.status === 'accepted' ? 'added to the record' : 'set aside';
      said.appendChild(el('li', '\u201c' + x.text + '\u201d \u2014 ' + words));
    });
  }

  var shownRound = null;
  var dots = [];

  function renderVote(r) {
    var box = $('vote');
    if (!r) { box.hidden = true; shownRound = null; return; }
    // Sent padded to one width; the page shows it without the spaces.
    r.mine = r.mine ? r.mine.trim() : '';
    box.hidden = false;
    $('vote-about').textContent = r.about || '';
    $('vote-about').hidden = !r.about;
    $('vote-question').textContent = r.question;
    $('vote-anonymous').hidden = !r.anonymous;
    $('vote-counted').hidden = !r.counted;
    $('vote-options').hidden = r.counted || r.dots !== null || r.ranking;
    $('dots').hidden = r.counted || r.dots === null;
    $('dots-send').hidden = r.counted || r.dots === null;
    $('ranking').hidden = r.counted || !r.ranking;
    $('ranking-send').hidden = r.counted || !r.ranking;
    $('vote-mine').textContent = r.mine ? 'Your vote: ' + r.mine + ' \u2713 recorded' : '';
    if (shownRound === r.id) {
      markMine(r);
      return;
    }
    shownRound = r.id;
    var buttons = $('vote-buttons');
    buttons.textContent = '';
    r.labels.forEach(function (label, i) {
      var b = el('button', label, 'choice');
      b.type = 'button';
      b.setAttribute('aria-pressed', 'false');
      b.addEventListener('click', function () { vote(r.id, { pick: i }, label); });
      buttons.appendChild(b);
    });
    markMine(r);
    if (r.dots !== null) {
      dots = r.labels.map(function () { return 0; });
      var d = $('dots');
      d.textContent = '';
      d.appendChild(el('p', 'You have ' + r.dots + ' dots. Put them on what matters most.'));
      r.labels.forEach(function (label, i) {
        var row = el('div', undefined, 'dot-row');
        var name = el('span', label + ': 0');
        var less = el('button', '\u2212');
        less.type = 'button';
        less.setAttribute('aria-label', 'One dot less on ' + label);
        var more = el('button', '+');
        more.type = 'button';
        more.setAttribute('aria-label', 'One dot more on ' + label);
        function update() { name.textContent = label + ': ' + dots[i]; }
        less.addEventListener('click', function () { if (dots[i] > 0) dots[i] -= 1; update(); });
        more.addEventListener('click', function () {
          var used = dots.reduce(function (a, b) { return a + b; }, 0);
          if (used < r.dots) dots[i] += 1; else say('All ' + r.dots + ' dots are placed.');
          update();
        });
        row.appendChild(name); row.appendChild(less); row.appendChild(more);
        d.appendChild(row);
      });
      $('dots-send').onclick = function () { vote(r.id, { dots: dots.slice() }, 'your dots'); };
    }
    if (r.ranking) {
      // Tap the options in order, most important first.
      var order = [];
      var box = $('ranking');
      box.textContent = '';
      box.appendChild(el('p', 'Tap every answer in order: the most important first.'));
      var list = el('ol');
      var left = el('div', undefined, 'choices');
      var again = el('button', 'Start again');
      again.type = 'button';
      function show() {
        list.textContent = '';
        order.forEach(function (i) { list.appendChild(el('li', r.labels[i])); });
        var bs = left.querySelectorAll('button');
        for (var k = 0; k < bs.length; k++) bs[k].disabled = order.indexOf(k) >= 0;
      }
      r.labels.forEach(function (label, i) {
        var b = el('button', label, 'choice');
        b.type = 'button';
        b.addEventListener('click', function () { if (order.indexOf(i) < 0) order.push(i); show(); });
        left.appendChild(b);
      });
      again.addEventListener('click', function () { order = []; show(); });
      box.appendChild(left); box.appendChild(list); box.appendChild(again);
      $('ranking-send').onclick = function () {
        if (order.length < r.labels.length) { say('Put every answer in order first.'); return; }
        vote(r.id, { ranking: order.slice() }, order.map(function (i) { return r.labels[i]; }).join(' > '));
      };
    }
  }

  function markMine(r) {
    var bs = $('vote-buttons').querySelectorAll('button');
    for (var i = 0; i < bs.length; i++) {
      bs[i].setAttribute('aria-pressed', r.mine && r.labels[i] === r.mine ? 'true' : 'false');
    }
  }

  async function vote(round, what, label) {
    $('vote-mine').textContent = 'Sending your vote: ' + label + '\u2026';
    try {
      var ask = { op: 'vote', round: round };
      if (what.pick !== undefined) ask.pick = what.pick;
      if (what.dots) ask.dots = what.dots;
      if (what.ranking) ask.ranking = what.ranking;
      var a = await call(ask);
      if (a.error) { $('vote-mine').textContent = 'Not recorded: ' + a.error; return; }
      $('vote-mine').textContent = 'Your vote: ' + label + ' \u2713 recorded';
      if (current && current.round) { current.round.mine = label; markMine(current.round); }
    } catch (e) {
      $('vote-mine').textContent = 'Not recorded: ' + e.message + ' Try again.';
    }
  }

  async function sendSay() {
    var text = $('say-text').value.trim();
    if (!text) { say('Type what you want to say first.'); return; }
    say('Sending\u2026');
    try {
      var a = await call({ op: 'say', text: text });
      if (a.error) { say(a.error); return; }
      $('say-text').value = '';
      say('Sent: it waits for the facilitator.');
      refresh();
    } catch (e) { say(e.message); }
  }

  async function toggleHand() {
    var up = !(current && current.hand);
    try {
      var a = await call({ op: 'hand', up: up });
      if (a.error) { say(a.error); return; }
      say(up ? 'Your hand is up \u2713 recorded' : 'Your hand is down \u2713 recorded');
      refresh();
    } catch (e) { say(e.message); }
  }

  async function refresh() {
    try {
      var s = await call({ op: 'state', since: 0 });
      if (!s.error) render(s);
    } catch (e) { say(e.message); }
  }

  var watching = false;
  async function watch() {
    if (watching) return;
    watching = true;
    for (;;) {
      try {
        var s = await call({ op: 'state', since: head });
        if (s.error) {
          sentBack = s.error;
          say(s.error);
          phone = null;
          try { sessionStorage.removeItem('roundtable-phone'); } catch (e) { /* ignore */ }
          watching = false;
          start();
          return;
        }
        render(s);
      } catch (e) {
        // Nothing can be sent now: no vote is offered that would fail.
        renderVote(null);
        say(e.message + ' Trying again\u2026');
        await new Promise(function (r) { setTimeout(r, 3000); });
      }
    }
  }

  async function start() {
    var secret = fromBase32(location.hash.slice(1));
    if (secret.length !== 16) {
      say('This address has no room key. Scan the code on the screen, or type the whole address shown under it.');
      return;
    }
    key = makeKey(secret);
    try { phone = sessionStorage.getItem('roundtable-phone'); } catch (e) { phone = null; }
    if (phone) {
      $('join').hidden = true;
      $('room').hidden = false;
      say('Back in the room.');
      watch();
      return;
    }
    try {
      var hello = await call({ op: 'hello' });
      showJoin(hello);
    } catch (e) {
      say(e.message);
    }
  }

  document.addEventListener('DOMContentLoaded', function () {
    $('say-send').addEventListener('click', sendSay);
    $('hand').addEventListener('click', toggleHand);
    start();
  });
})();
