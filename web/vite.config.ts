// The web UI's build (npm run web:build; npm start runs it when web/dist is stale) and dev server (npm run web:dev),
// which proxies the API to the server of `npm start` on its default address.
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const api = 'http://127.0.0.1:3000';

export default defineConfig({
  plugins: [react()],
  server: { port: 5173, proxy: { '/v1': api } },
  build: { target: 'es2022' },
});
