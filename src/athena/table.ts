/**
 * The CloudTrail table of AWS's Athena documentation ("Create the table for CloudTrail logs in Athena using
 * partition projection", docs.aws.amazon.com/athena/latest/ug/create-cloudtrail-table-partition-projection.html):
 * its columns and types in its order, and, for each, the CloudTrail field it holds. Athena's JSON SerDe matches
 * columns to fields without regard to case, and a STRING column over a JSON object holds the object's JSON text.
 */
export interface TableColumn {
  name: string;
  /** The record's key, in CloudTrail's spelling. */
  field: string;
  /** Hive type, as the AWS documentation writes it (one line). */
  type: string;
}

const STRUCT_USERIDENTITY =
  'STRUCT<type: STRING, principalid: STRING, arn: STRING, accountid: STRING, invokedby: STRING, accesskeyid: STRING, ' +
  'username: STRING, onbehalfof: STRUCT<userid: STRING, identitystorearn: STRING>, ' +
  'sessioncontext: STRUCT<attributes: STRUCT<mfaauthenticated: STRING, creationdate: STRING>, ' +
  'sessionissuer: STRUCT<type: STRING, principalid: STRING, arn: STRING, accountid: STRING, username: STRING>, ' +
  'ec2roledelivery: STRING, webidfederationdata: STRUCT<federatedprovider: STRING, attributes: MAP<STRING, STRING>>>>';

export const TABLE_COLUMNS: readonly TableColumn[] = [
  { name: 'eventversion', field: 'eventVersion', type: 'STRING' },
  { name: 'useridentity', field: 'userIdentity', type: STRUCT_USERIDENTITY },
  { name: 'eventtime', field: 'eventTime', type: 'STRING' },
  { name: 'eventsource', field: 'eventSource', type: 'STRING' },
  { name: 'eventname', field: 'eventName', type: 'STRING' },
  { name: 'awsregion', field: 'awsRegion', type: 'STRING' },
  { name: 'sourceipaddress', field: 'sourceIPAddress', type: 'STRING' },
  { name: 'useragent', field: 'userAgent', type: 'STRING' },
  { name: 'errorcode', field: 'errorCode', type: 'STRING' },
  { name: 'errormessage', field: 'errorMessage', type: 'STRING' },
  { name: 'requestparameters', field: 'requestParameters', type: 'STRING' },
  { name: 'responseelements', field: 'responseElements', type: 'STRING' },
  { name: 'additionaleventdata', field: 'additionalEventData', type: 'STRING' },
  { name: 'requestid', field: 'requestID', type: 'STRING' },
  { name: 'eventid', field: 'eventID', type: 'STRING' },
  { name: 'readonly', field: 'readOnly', type: 'STRING' },
  { name: 'resources', field: 'resources', type: 'ARRAY<STRUCT<arn: STRING, accountid: STRING, type: STRING>>' },
  { name: 'eventtype', field: 'eventType', type: 'STRING' },
  { name: 'apiversion', field: 'apiVersion', type: 'STRING' },
  { name: 'recipientaccountid', field: 'recipientAccountId', type: 'STRING' },
  { name: 'serviceeventdetails', field: 'serviceEventDetails', type: 'STRING' },
  { name: 'sharedeventid', field: 'sharedEventID', type: 'STRING' },
  { name: 'vpcendpointid', field: 'vpcEndpointId', type: 'STRING' },
  { name: 'vpcendpointaccountid', field: 'vpcEndpointAccountId', type: 'STRING' },
  { name: 'eventcategory', field: 'eventCategory', type: 'STRING' },
  { name: 'addendum', field: 'addendum', type: 'STRUCT<reason: STRING, updatedfields: STRING, originalrequestid: STRING, originaleventid: STRING>' },
  { name: 'sessioncredentialfromconsole', field: 'sessionCredentialFromConsole', type: 'STRING' },
  { name: 'edgedevicedetails', field: 'edgeDeviceDetails', type: 'STRING' },
  { name: 'tlsdetails', field: 'tlsDetails', type: 'STRUCT<tlsversion: STRING, ciphersuite: STRING, clientprovidedhostheader: STRING>' },
];

/**
 * Partition columns: the documented table projects only the date (`timestamp`) of one account and region;
 * an organization's trail spans many, so the account and the region are projected too (enums of the values
 * given), and a query names the days, accounts and regions it needs.
 */
export const PARTITIONS = ['account', 'region', 'timestamp'] as const;
