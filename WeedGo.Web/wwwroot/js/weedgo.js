// Small helpers called from components through IJSRuntime.
window.weedgo = {
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
    }
};
