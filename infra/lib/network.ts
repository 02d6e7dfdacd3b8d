import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';
import type { InfraConfig } from './config.js';
import { createLogGroup } from './log-group.js';
import { NAMES } from './names.js';

/** The VPC: public subnets for the ALB and NAT, private subnets for every task, 2 AZs. */
export class Network extends Construct {
  readonly vpc: ec2.Vpc;

  constructor(scope: Construct, id: string, { config }: { config: InfraConfig }) {
    super(scope, id);
    const mask = Number(config.vpcCidr.split('/')[1]);
    this.vpc = new ec2.Vpc(this, 'Vpc', {
      ipAddresses: ec2.IpAddresses.cidr(config.vpcCidr),
      maxAzs: 2,
      natGateways: config.natGateways,
      subnetConfiguration: [
        // Only the ALB and the NAT gateway live here: small subnets.
        { name: 'public', subnetType: ec2.SubnetType.PUBLIC, cidrMask: mask + 4 },
        // One IP per Fargate task: the big subnets.
        { name: 'private', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS, cidrMask: mask + 2 },
      ],
      // Gateway endpoints are free and keep S3 (image layers, build cache) and DynamoDB off the NAT.
      gatewayEndpoints: {
        S3: { service: ec2.GatewayVpcEndpointAwsService.S3 },
        DynamoDB: { service: ec2.GatewayVpcEndpointAwsService.DYNAMODB },
      },
    });
    this.vpc.addFlowLog('FlowLog', {
      destination: ec2.FlowLogDestination.toCloudWatchLogs(createLogGroup(this, 'FlowLogs', NAMES.flowLogGroup, config)),
      trafficType: config.flowLogs === 'ALL' ? ec2.FlowLogTrafficType.ALL : ec2.FlowLogTrafficType.REJECT,
    });
    if (config.interfaceEndpoints) this.addInterfaceEndpoints(config.vpcCidr);
  }

  /** Image pulls, logs and config reads without the NAT: pays off with many environments. */
  private addInterfaceEndpoints(cidr: string): void {
    // One group for all endpoints: HTTPS from inside the VPC only (the literal CIDR, so it is checkable).
    const securityGroup = new ec2.SecurityGroup(this, 'EndpointSecurityGroup', {
      vpc: this.vpc,
      description: 'envbot VPC interface endpoints: HTTPS from inside the VPC',
      allowAllOutbound: false,
    });
    securityGroup.addIngressRule(ec2.Peer.ipv4(cidr), ec2.Port.tcp(443), 'HTTPS from the VPC');
    const services = {
      EcrApi: ec2.InterfaceVpcEndpointAwsService.ECR,
      EcrDocker: ec2.InterfaceVpcEndpointAwsService.ECR_DOCKER,
      Logs: ec2.InterfaceVpcEndpointAwsService.CLOUDWATCH_LOGS,
      Ssm: ec2.InterfaceVpcEndpointAwsService.SSM,
      SecretsManager: ec2.InterfaceVpcEndpointAwsService.SECRETS_MANAGER,
    };
    for (const [id, service] of Object.entries(services)) {
      this.vpc.addInterfaceEndpoint(id, {
        service,
        subnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
        securityGroups: [securityGroup],
        open: false,
      });
    }
  }
}
