import { ApiError } from '../http/api-error.js';
import { mdeContext } from '../http/odata-list.js';
import { boundedNumber } from '../http/odata-query.js';
import { sendChunks, sendJson, sendStorageError } from '../http/responses.js';
import type { SimState } from '../state.js';
import { isoSecondsZ, TICKS_PER_HOUR, TICKS_PER_SECOND } from '../time.js';
import { exportPartBody, partMachines } from './export-file-bodies.js';
import { type Route, mde, open, VULNERABILITY_READ } from '../http/route.js';
import type { Handler } from './handler.js';

/** SAS start is back-dated a little, as the service does, so small clock skews do not matter. */
const SAS_START_SKEW = 5 * 60 * TICKS_PER_SECOND;

function exportId(state: SimState, epoch: number): string {
  const iso = isoSecondsZ(state.tenant.clock.epochStart(epoch));
  return `${iso.slice(0, 10)}/${iso.slice(11, 13)}${iso.slice(14, 16)}-${epoch}`;
}

/**
 * `GET /api/machines/SoftwareVulnerabilitiesExport?sasValidHours=H`: SAS URLs of gzip JSON-lines files, each
 * covering `exportFileMachines` machines of the current snapshot. The files are generated when downloaded, unless
 * prepared (`POST /_sim/exports/prepare`).
 */
const exportFiles: Handler = async (state, ex) => {
  const hours = boundedNumber(ex.query, 'sasValidHours', 1, 6, 1);
  const epoch = state.tenant.epoch;
  const now = state.tenant.clock.now;
  const machines = state.tenant.population.alive(epoch).length;
  const files = Math.ceil(machines / state.exportFileMachines);
  const urls: string[] = [];
  for (let part = 0; part < files; part++) {
    const path = `/tvm-export/${exportId(state, epoch)}/part-${String(part).padStart(5, '0')}.json.gz`;
    urls.push(
      `${state.baseUrl()}/_blob${path}?${state.sas.queryFor(path, now - SAS_START_SKEW, now + hours * TICKS_PER_HOUR)}`,
    );
  }
  await sendJson(ex, 200, {
    '@odata.context': mdeContext(state, 'microsoft.windowsDefenderATP.api.ExportFilesResponse'),
    exportFiles: urls,
    generatedTime: isoSecondsZ(now),
  });
};

/**
 * `GET /_blob/tvm-export/{date}/{exportId}/part-{n}.json.gz`: the SAS alone authorises it (no bearer token).
 * The body is gzip JSON lines: the prepared file when there is one and the request suffers no fault, else
 * produced record by record with backpressure.
 */
const exportBlob: Handler = async (state, ex, [date = '', id = '', part = '']) => {
  const path = `/tvm-export/${date}/${id}/part-${part}.json.gz`;
  // `expired-sas` answers as a link past its expiry would, without moving the clock (and so the snapshot).
  const refusal =
    ex.faults.kind === 'expired-sas'
      ? state.sas.check(path, ex.url.searchParams, Number.MAX_SAFE_INTEGER)
      : state.sas.check(path, ex.url.searchParams, state.tenant.clock.now);
  if (refusal !== undefined)
    return sendStorageError(ex, 403, 'AuthenticationFailed', refusal.message, refusal.detail);
  const file = { epoch: Number(/-(\d+)$/.exec(id)?.[1] ?? Number.NaN), part: Number(part) };
  const machines = partMachines(state, file);
  if (machines === undefined) throw new ApiError(404, 'BlobNotFound', 'The specified blob does not exist.');
  const headers = {
    'content-type': 'application/octet-stream',
    'x-ms-blob-type': 'BlockBlob',
    'x-ms-version': '2020-08-04',
  };
  if (ex.faults.kind === 'empty-file') {
    await sendChunks(ex, 200, { ...headers, 'content-length': 0 }, []);
    return;
  }
  const unfaulted = ex.faults.kind === undefined && ex.faults.malformedRate === 0 && !ex.faults.corruptFirst;
  const prepared = unfaulted ? state.preparedExports.file(file) : undefined;
  const body =
    prepared === undefined ? exportPartBody(state, file.epoch, machines, ex.faults) : prepared.open();
  state.stats.blob('started');
  const complete = await sendChunks(
    ex,
    200,
    prepared === undefined ? headers : { ...headers, 'content-length': prepared.bytes },
    body,
  );
  if (!complete) body.destroy();
  state.stats.blob(complete ? 'completed' : 'aborted');
};

/** The file export and its blobs. */
export const exportFileRoutes: readonly Route[] = [
  mde(
    '/api/machines/SoftwareVulnerabilitiesExport',
    /^\/api\/machines\/SoftwareVulnerabilitiesExport$/i,
    VULNERABILITY_READ,
    'exportFiles',
    exportFiles,
  ),
  open(
    'GET',
    '/_blob/tvm-export/{file}',
    /^\/_blob\/tvm-export\/(\d{4}-\d{2}-\d{2})\/([^/]+)\/part-(\d+)\.json\.gz$/,
    'blob',
    exportBlob,
  ),
];
