// Small helpers called from components through IJSRuntime.
window.weedgo = {
    setCookie: function (name, value, days) {
        const expires = new Date(Date.now() + days * 864e5).toUTCString();
        document.cookie = name + "=" + encodeURIComponent(value) + "; expires=" + expires + "; path=/; SameSite=Lax";
    },
    markInteractive: function () {
        document.body.setAttribute("data-interactive", "true");
    }
};
