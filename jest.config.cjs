// Lets `npx jest` at the root run every project's suite; Nx runs them per project.
const { getJestProjectsAsync } = require('@nx/jest');

module.exports = async () => ({ projects: await getJestProjectsAsync() });
