// Loaded before require.js on pages with saved widgets (site/conf.py, nb_ipywidgets_js).
// require.js reads this object as its configuration: module paths start at _static/vendor/,
// so the widgets HTML manager (embed-amd.js) finds its icon fonts there, and from this
// page's own folder, whatever its depth (the theme writes data-content_root on <html>).
var require = {baseUrl: (document.documentElement.dataset.content_root || "") + "_static/vendor/"};
