import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import type { InfraConfig } from './config.js';

/** Matches TTL_ATTRIBUTE in app/src/aws/store.ts (checked by test/infra/names.test.ts). */
export const TTL_ATTRIBUTE = 'expiresAt';

/** The bot's single table (pk/sk strings): environment records, leases, priorities, audit log. */
export class StateTable extends Construct {
  readonly table: dynamodb.Table;

  constructor(scope: Construct, id: string, { config }: { config: InfraConfig }) {
    super(scope, id);
    this.table = new dynamodb.Table(this, 'Table', {
      tableName: config.tableName,
      partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
      sortKey: { name: 'sk', type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      timeToLiveAttribute: TTL_ATTRIBUTE,
      // The one piece of user data: kept on `cdk destroy` unless the config says otherwise.
      removalPolicy: config.tableRemoval === 'retain' ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
  }
}
