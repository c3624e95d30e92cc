window.xiaoqi = window.xiaoqi || {};
