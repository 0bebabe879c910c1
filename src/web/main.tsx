import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter, Route, Routes } from 'react-router';
import { QueryClientProvider } from '@tanstack/react-query';
import './styles.css';
import { SessionProvider, useSession } from './session.js';
import { createQueryClient } from './query-client.js';
import { Layout } from './layout.js';
import { SignInPage } from './pages/sign-in.js';
import { DashboardPage } from './pages/dashboard.js';
import { EndpointsPage } from './pages/endpoints.js';
import { EndpointPage } from './pages/endpoint.js';
import { VulnerabilitiesPage } from './pages/vulnerabilities.js';
import { PatchesPage } from './pages/patches.js';
import { StrategiesPage } from './pages/strategies.js';
import { AlertsPage, IncidentsPage } from './pages/activity.js';
import { ActionsPage } from './pages/actions.js';
import { HuntingPage } from './pages/hunting.js';
import { IntegrationsPage } from './pages/integrations.js';
import { IntegrationFormPage } from './pages/integration-form.js';
import { SyncHistoryPage } from './pages/sync-history.js';
import { AuditLogPage } from './pages/audit-log.js';
import { UsersPage } from './pages/users.js';
import { TokensPage } from './pages/tokens.js';
import { NotFoundPage } from './pages/not-found.js';
import { CloudPosturePage } from './pages/cloud-posture.js';
import { CloudResourcesPage } from './pages/cloud-resources.js';
import { CloudAssessmentsPage } from './pages/cloud-assessments.js';
import { CloudFindingsPage } from './pages/cloud-findings.js';
import { EntraCoveragePage } from './pages/entra-coverage.js';

function App() {
  const { session } = useSession();
  // Out of the flow: the page that follows does not move down from under it.
  if (session === undefined)
    return (
      <p className="placeholder session-loading" role="status">
        Loading…
      </p>
    );
  if (session === null) return <SignInPage />;
  return (
    <Routes>
      <Route element={<Layout />}>
        <Route index element={<DashboardPage />} />
        <Route path="endpoints" element={<EndpointsPage />} />
        <Route path="endpoints/:id" element={<EndpointPage />} />
        <Route path="endpoints/:id/:tab" element={<EndpointPage />} />
        <Route path="endpoints/:id/:tab/:subtab" element={<EndpointPage />} />
        <Route path="vulnerabilities" element={<VulnerabilitiesPage />} />
        <Route path="patches" element={<PatchesPage />} />
        <Route path="strategies" element={<StrategiesPage />} />
        <Route path="alerts" element={<AlertsPage />} />
        <Route path="incidents" element={<IncidentsPage />} />
        <Route path="actions" element={<ActionsPage />} />
        <Route path="hunting" element={<HuntingPage />} />
        <Route path="integrations" element={<IntegrationsPage />} />
        <Route path="integrations/new" element={<IntegrationFormPage />} />
        <Route path="integrations/:id" element={<IntegrationFormPage />} />
        <Route path="integrations/:id/history" element={<SyncHistoryPage />} />
        <Route path="audit-log" element={<AuditLogPage />} />
        <Route path="users" element={<UsersPage />} />
        <Route path="tokens" element={<TokensPage />} />
        <Route path="entra-coverage" element={<EntraCoveragePage />} />
        <Route path="cloud/posture" element={<CloudPosturePage />} />
        <Route path="cloud/resources" element={<CloudResourcesPage />} />
        <Route path="cloud/assessments" element={<CloudAssessmentsPage />} />
        <Route path="cloud/findings" element={<CloudFindingsPage />} />
        <Route path="*" element={<NotFoundPage />} />
      </Route>
    </Routes>
  );
}

const root = document.getElementById('root');
if (root === null) throw new Error('index.html has no #root');
createRoot(root).render(
  <StrictMode>
    <QueryClientProvider client={createQueryClient()}>
      <BrowserRouter>
        <SessionProvider>
          <App />
        </SessionProvider>
      </BrowserRouter>
    </QueryClientProvider>
  </StrictMode>,
);
