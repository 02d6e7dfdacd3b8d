import { RemovalPolicy } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import type { InfraConfig } from './config.js';

/** Every log group of the stack: a fixed name, the configured retention, and gone on `cdk destroy`. */
export function createLogGroup(scope: Construct, id: string, name: string, config: InfraConfig): logs.LogGroup {
  return new logs.LogGroup(scope, id, {
    logGroupName: name,
    retention: config.logRetentionDays as logs.RetentionDays,
    removalPolicy: RemovalPolicy.DESTROY,
  });
}
