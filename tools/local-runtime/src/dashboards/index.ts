export { createConsoleHandler, LOCAL_CONSOLE_PATH, type ConsoleOptions } from './console-handler';
export {
  renderPage,
  tableHeight,
  type PageOptions,
  type PageSection,
  type PageWidget,
  type TableCell,
} from './page';
export { dashboardData, type DashboardData, type Line, type WidgetData } from './widget-data';
