import { StrictMode } from 'react';
import { QueryClientProvider } from '@tanstack/react-query';
import { createRoot } from 'react-dom/client';
import { createApiClient } from './api/api-client.ts';
import { createQueryClient } from './api/api-query.ts';
import { readLaunchToken } from './api/read-launch-token.ts';
import { watchFrameHeight } from './frame/watch-frame-height.ts';
import { App } from './app.tsx';
import './styles.css';

const { token, cleanPath } = readLaunchToken(window.location.href);
// The token stays in memory only; a reload therefore ends the session, as a relaunch should.
window.history.replaceState(window.history.state, '', cleanPath);

const container = document.getElementById('root');
if (container === null) throw new Error('index.html has no #root element');

createRoot(container).render(
  <StrictMode>
    <QueryClientProvider client={createQueryClient()}>
      <App client={createApiClient({ token })} />
    </QueryClientProvider>
  </StrictMode>,
);

watchFrameHeight(container, window);
