/**
 * Redfish messages and error bodies as an iDRAC 9 writes them: the DMTF Base registry (1.12) for
 * protocol errors and Dell's IDRAC registry for its own conditions.
 */

const BASE = 'Base.1.12';
const IDRAC = 'IDRAC.2.8';

/** One entry of `error.@Message.ExtendedInfo`. */
export interface RedfishMessage {
  Message: string;
  MessageArgs: string[];
  'MessageArgs@odata.count': number;
  MessageId: string;
  RelatedProperties: string[];
  'RelatedProperties@odata.count': number;
  Resolution: string;
  Severity: 'OK' | 'Warning' | 'Critical' | 'Informational';
}

/** A Redfish error body: `{"error": {code, message, "@Message.ExtendedInfo": [...]}}`. */
export interface RedfishErrorBody {
  error: {
    '@Message.ExtendedInfo': RedfishMessage[];
    code: string;
    message: string;
  };
}

function message(
  messageId: string,
  text: string,
  args: string[],
  related: string[],
  resolution: string,
  severity: RedfishMessage['Severity'],
): RedfishMessage {
  return {
    Message: text,
    MessageArgs: args,
    'MessageArgs@odata.count': args.length,
    MessageId: messageId,
    RelatedProperties: related,
    'RelatedProperties@odata.count': related.length,
    Resolution: resolution,
    Severity: severity,
  };
}

/** Wraps messages in the envelope iDRAC uses for every error. */
export function errorBody(messages: RedfishMessage[]): RedfishErrorBody {
  return {
    error: {
      '@Message.ExtendedInfo': messages,
      code: `${BASE}.GeneralError`,
      message: 'A general error has occurred. See ExtendedInfo for more information',
    },
  };
}

/** An HTTP error answer a request handler produces; the server turns it into a response. */
export class RedfishHttpError extends Error {
  override readonly name = 'RedfishHttpError';
  readonly code = 'REDFISH_HTTP_ERROR';
  constructor(
    readonly status: number,
    readonly messages: RedfishMessage[],
  ) {
    super(messages.map((m) => m.Message).join(' '));
  }

  /** The JSON body to send. */
  body(): RedfishErrorBody {
    return errorBody(this.messages);
  }
}

/** Builders of the individual messages, named after their MessageId. */
export const messages = {
  malformedJson: () =>
    message(
      `${BASE}.MalformedJSON`,
      'The request body submitted is malformed JSON and cannot be parsed by the receiving service.',
      [],
      [],
      'Verify that the request body is valid JSON and resubmit the request.',
      'Critical',
    ),
  propertyMissing: (property: string) =>
    message(
      `${BASE}.PropertyMissing`,
      `The property ${property} is a required property and must be included in the request.`,
      [property],
      [`#/${property.replaceAll('.', '/')}`],
      'If the operation did not complete, verify the property is in the request body and has a valid value.',
      'Warning',
    ),
  propertyValueTypeError: (value: string, property: string) =>
    message(
      `${BASE}.PropertyValueTypeError`,
      `The value ${value} for the property ${property} is the incorrect property type.`,
      [value, property],
      [`#/${property.replaceAll('.', '/')}`],
      'If the operation did not complete, correct the property value in the request body and resubmit the request.',
      'Warning',
    ),
  propertyValueNotInList: (value: string, property: string) =>
    message(
      `${BASE}.PropertyValueNotInList`,
      `The value ${value} for the property ${property} is not in the list of acceptable values.`,
      [value, property],
      [`#/${property.replaceAll('.', '/')}`],
      'Choose a value from the enumeration list that the implementation can support and resubmit the request if the operation failed.',
      'Warning',
    ),
  propertyValueOutOfRange: (value: string, property: string) =>
    message(
      `${BASE}.PropertyValueOutOfRange`,
      `The value ${value} for the property ${property} is not in the supported range of acceptable values.`,
      [value, property],
      [`#/${property.replaceAll('.', '/')}`],
      'Correct the value for the property in the request body and resubmit the request if the operation failed.',
      'Warning',
    ),
  propertyValueConflict: (property: string, otherProperty: string) =>
    message(
      `${BASE}.PropertyValueConflict`,
      `The property ${property} could not be written because its value would conflict with the value of the ${otherProperty} property.`,
      [property, otherProperty],
      [`#/${property.replaceAll('.', '/')}`, `#/${otherProperty.replaceAll('.', '/')}`],
      'No resolution is required.',
      'Warning',
    ),
  resourceMissingAtUri: (uri: string) =>
    message(
      `${BASE}.ResourceMissingAtURI`,
      `The resource at the URI ${uri} was not found.`,
      [uri],
      [],
      'Place a valid resource at the URI or correct the URI and resubmit the request.',
      'Critical',
    ),
  resourceInUse: (uri: string) =>
    message(
      `${BASE}.ResourceInUse`,
      'The change to the requested resource failed because the resource is in use or in transition.',
      [],
      [uri],
      'Remove the condition and resubmit the request if the operation failed.',
      'Warning',
    ),
  actionParameterMissing: (action: string, parameter: string) =>
    message(
      `${BASE}.ActionParameterMissing`,
      `The action ${action} requires the parameter ${parameter} to be present in the request body.`,
      [action, parameter],
      [`#/${parameter}`],
      'Supply the action with the required parameter in the request body when the request is resubmitted.',
      'Critical',
    ),
  actionParameterNotInList: (value: string, parameter: string, action: string) =>
    message(
      `${BASE}.ActionParameterValueNotInList`,
      `The value ${value} for the parameter ${parameter} in the action ${action} is not in the list of acceptable values.`,
      [value, parameter, action],
      [`#/${parameter}`],
      'Choose a value from the enumeration list that the implementation can support and resubmit the request if the operation failed.',
      'Warning',
    ),
  internalError: () =>
    message(
      `${BASE}.InternalError`,
      'The request failed due to an internal service error.  The service is still operational.',
      [],
      [],
      'Resubmit the request.  If the problem persists, consider resetting the service.',
      'Critical',
    ),
  serviceTemporarilyUnavailable: (retryAfterSeconds: number) =>
    message(
      `${BASE}.ServiceTemporarilyUnavailable`,
      `The service is temporarily unavailable.  Retry in ${retryAfterSeconds} seconds.`,
      [String(retryAfterSeconds)],
      [],
      'Wait for the indicated retry duration and retry the operation.',
      'Critical',
    ),
  authenticationFailed: () =>
    message(
      `${IDRAC}.SYS415`,
      'Unable to complete the operation because an invalid username and/or password is entered, and therefore authentication failed.',
      [],
      [],
      'Enter valid user name and password and retry the operation.',
      'Warning',
    ),
  methodNotAllowed: () =>
    message(
      `${IDRAC}.SYS402`,
      'Unable to run the method because the requested HTTP method is not allowed.',
      [],
      [],
      'Enter a valid HTTP method and retry the operation. For information about valid methods, see the Redfish Users Guide available on the support site.',
      'Informational',
    ),
  alreadyPoweredOn: () =>
    message(
      `${IDRAC}.PSU501`,
      'Server is already powered ON.',
      [],
      [],
      'No response action is required.',
      'Informational',
    ),
  alreadyPoweredOff: () =>
    message(
      `${IDRAC}.PSU502`,
      'Server is already powered OFF.',
      [],
      [],
      'No response action is required.',
      'Informational',
    ),
} as const;
