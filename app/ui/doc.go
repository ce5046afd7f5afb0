// Package ui holds the app's widgets and frame: the page frame with the top bar and the
// navigation drawn from the route table, notices and loading states, the searchable combo box,
// charts, pagers, console tabs, simple forms and the tables and labels that several pages
// show (receipts, statuses, the laid-out module).
package ui
