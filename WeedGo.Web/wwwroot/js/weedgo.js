// Small helpers called from components through IJSRuntime.
window.weedgo = {
    // Saves text as a file (the audit CSV export).
    download: function (name, text, type) {
        const url = URL.createObjectURL(new Blob([text], { type: type || "text/csv" }));
        const a = document.createElement("a");
        a.href = url; a.download = name; document.body.appendChild(a); a.click(); a.remove();
        setTimeout(function () { URL.revokeObjectURL(url); }, 1000);
    },
    setCookie: function (name, value, days) {
        const expires = new Date(Date.now() + days * 864e5).toUTCString();
        document.cookie = name + "=" + encodeURIComponent(value) + "; expires=" + expires + "; path=/; SameSite=Lax";
    },
    // A cookie that lasts until the browser closes (the storefront's age confirmation).
    setSessionCookie: function (name, value) {
        document.cookie = name + "=" + encodeURIComponent(value) + "; path=/; SameSite=Lax";
    },
    markInteractive: function () {
        document.body.setAttribute("data-interactive", "true");
    },
    // The browser's position if the visitor shares it: {lat, lng}, or null when refused, unavailable or slow.
    position: function () {
        return new Promise(function (resolve) {
            if (!navigator.geolocation) { resolve(null); return; }
            navigator.geolocation.getCurrentPosition(
                function (p) { resolve({ lat: p.coords.latitude, lng: p.coords.longitude }); },
                function () { resolve(null); },
                { timeout: 10000, maximumAge: 300000 });
        });
    },
    // Driver position sharing: every `seconds` the latest fix goes to the component's [JSInvokable] ReportPosition(lat, lng,
    // accuracy). Returns a handle for stopSharing; null when the browser has no geolocation.
    shareLocation: function (component, seconds) {
        if (!navigator.geolocation) { return null; }
        const state = { last: null, sent: 0 };
        state.watch = navigator.geolocation.watchPosition(
            function (p) { state.last = p; },
            function () { },
            { enableHighAccuracy: true, maximumAge: 5000, timeout: 20000 });
        const send = function () {
            const p = state.last;
            if (!p || p.timestamp === state.sent) { return; }
            state.sent = p.timestamp;
            component.invokeMethodAsync("ReportPosition", p.coords.latitude, p.coords.longitude, p.coords.accuracy).catch(function () { });
        };
        state.timer = setInterval(send, Math.max(1, seconds) * 1000);
        const id = (window.weedgo._shares = window.weedgo._shares || []).push(state) - 1;
        return id;
    },
    stopSharing: function (id) {
        const state = (window.weedgo._shares || [])[id];
        if (!state) { return; }
        navigator.geolocation.clearWatch(state.watch);
        clearInterval(state.timer);
        window.weedgo._shares[id] = null;
    },
    // A short two-tone chime for a new order (WebAudio). Browsers block audio until the page has been clicked once;
    // then this does nothing, which is fine: the row is highlighted too.
    beep: function () {
        try {
            const Ctx = window.AudioContext || window.webkitAudioContext;
            if (!Ctx) { return false; }
            const ctx = window.weedgo._audio || (window.weedgo._audio = new Ctx());
            if (ctx.state === "suspended") { ctx.resume(); }
            const now = ctx.currentTime;
            [880, 1320].forEach(function (freq, i) {
                const osc = ctx.createOscillator();
                const gain = ctx.createGain();
                osc.type = "sine";
                osc.frequency.value = freq;
                gain.gain.setValueAtTime(0.0001, now + i * 0.16);
                gain.gain.exponentialRampToValueAtTime(0.2, now + i * 0.16 + 0.02);
                gain.gain.exponentialRampToValueAtTime(0.0001, now + i * 0.16 + 0.15);
                osc.connect(gain).connect(ctx.destination);
                osc.start(now + i * 0.16);
                osc.stop(now + i * 0.16 + 0.16);
            });
            return true;
        } catch (e) {
            return false;
        }
    }
};
