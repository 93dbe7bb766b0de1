/** Entity property routes shared by issues and comments: list the keys, get, set and delete one property. */
import { Router, type Request, type Response } from 'express';

import { propertyNotFound } from '../errors';
import { handle, jsonBody, param, stateOf } from '../http-utils';

/** An entity with properties, as found for one request. */
export interface PropertyOwner {
  properties: Record<string, unknown>;
  /** Path of the properties collection in `self` links, e.g. `/rest/api/2/comment/10400/properties`. */
  collectionPath: string;
  /** Runs after a property is set or deleted. */
  afterChange?: () => void;
}

export interface PropertyRouteOptions {
  /** Route of the collection, e.g. `/rest/api/2/issue/:idOrKey/properties`. */
  path: string;
  /** Finds the entity for reading, with the caller's read permission checked. */
  forRead: (req: Request, res: Response) => PropertyOwner;
  /** Finds the entity for changing, with the caller's write permission checked. */
  forWrite: (req: Request, res: Response) => PropertyOwner;
}

export function propertyRoutes(options: PropertyRouteOptions): Router {
  const router = Router();

  router.get(
    options.path,
    handle((req, res) => {
      const owner = options.forRead(req, res);
      const view = stateOf(res).view;
      res.json({ keys: Object.keys(owner.properties).map((key) => ({ self: view.url(`${owner.collectionPath}/${key}`), key })) });
    }),
  );

  router.get(
    `${options.path}/:propertyKey`,
    handle((req, res) => {
      const owner = options.forRead(req, res);
      const key = param(req, 'propertyKey');
      if (!(key in owner.properties)) {
        throw propertyNotFound(key);
      }
      res.json({ key, value: owner.properties[key] });
    }),
  );

  // Jira returns 201 when it creates the property and 200 when it replaces it.
  router.put(
    `${options.path}/:propertyKey`,
    handle((req, res) => {
      const owner = options.forWrite(req, res);
      const key = param(req, 'propertyKey');
      const existed = key in owner.properties;
      owner.properties[key] = jsonBody(req);
      owner.afterChange?.();
      res.status(existed ? 200 : 201).end();
    }),
  );

  router.delete(
    `${options.path}/:propertyKey`,
    handle((req, res) => {
      const owner = options.forWrite(req, res);
      const key = param(req, 'propertyKey');
      if (!(key in owner.properties)) {
        throw propertyNotFound(key);
      }
      delete owner.properties[key];
      owner.afterChange?.();
      res.status(204).end();
    }),
  );
  return router;
}
