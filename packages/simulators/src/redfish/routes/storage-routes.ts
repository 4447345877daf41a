import { STORAGE_COLLECTION_URI, STORAGE_URI, VOLUMES_URI } from '../paths.js';
import { drive, storage, storageCollection, volume, volumeCollection } from '../resources/storage.js';
import { at, found, ok, parseJson, type Route, under } from '../route-kit.js';
import { acceptedJob } from './task-routes.js';

/** The RAID controller, its drives and volumes; creating or deleting a volume starts a job (202). */
export const storageRoutes: readonly Route[] = [
  at(STORAGE_COLLECTION_URI, { GET: () => ok(storageCollection()) }),
  at(STORAGE_URI, { GET: (_r, { state }) => ok(storage(state.drives)) }),
  under(`${STORAGE_URI}/Drives`, {
    GET: (request, { state }, id) => {
      const info = state.drives.find((d) => d.id === id);
      return found(info && drive(info, state.volumes()), request.path);
    },
  }),
  at(VOLUMES_URI, {
    GET: (_r, { state }) => ok(volumeCollection(state.volumes())),
    POST: (request, { state, now }) => acceptedJob(state.createVolume(parseJson(request.rawBody)), now),
  }),
  under(VOLUMES_URI, {
    GET: (request, { state }, id) => {
      const info = state.volume(id);
      return found(info && volume(info), request.path);
    },
    DELETE: (_r, { state, now }, id) => acceptedJob(state.deleteVolume(id), now),
  }),
];
