import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as route53Targets from 'aws-cdk-lib/aws-route53-targets';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import type { InfraConfig } from './config.js';
import { suppress } from './nag.js';

const NOT_FOUND = [
  'No envbot environment answers at this address.',
  'It may be stopped for the night or torn down: try /env list or /env up <name> in Slack.',
].join('\n');

export interface LoadBalancerProps {
  vpc: ec2.IVpc;
  config: InfraConfig;
  accessLogs: s3.IBucket;
}

/**
 * The one internet-facing ALB. Its shared listener (HTTPS, or HTTP in httpOnly mode) answers unknown
 * hosts with a friendly 404; the bot adds one host rule per environment, the stack one for the bot.
 */
export class LoadBalancer extends Construct {
  readonly alb: elbv2.ApplicationLoadBalancer;
  /** The listener environments are routed on (ENVBOT_LISTENER_ARN). */
  readonly listener: elbv2.ApplicationListener;

  constructor(scope: Construct, id: string, { vpc, config, accessLogs }: LoadBalancerProps) {
    super(scope, id);
    this.alb = new elbv2.ApplicationLoadBalancer(this, 'Alb', {
      vpc,
      internetFacing: true,
      vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC },
      dropInvalidHeaderFields: true,
    });
    this.alb.logAccessLogs(accessLogs, 'alb');
    const notFound = elbv2.ListenerAction.fixedResponse(404, { contentType: 'text/plain', messageBody: NOT_FOUND });
    const zone = config.hostedZone
      ? route53.HostedZone.fromHostedZoneAttributes(this, 'Zone', { hostedZoneId: config.hostedZone.id, zoneName: config.hostedZone.name })
      : undefined;

    if (config.httpOnly) {
      this.listener = this.alb.addListener('Http', { port: 80, protocol: elbv2.ApplicationProtocol.HTTP, open: true, defaultAction: notFound });
    } else {
      this.listener = this.alb.addListener('Https', {
        port: 443,
        protocol: elbv2.ApplicationProtocol.HTTPS,
        certificates: [this.certificate(config, zone)],
        sslPolicy: elbv2.SslPolicy.RECOMMENDED_TLS,
        open: true,
        defaultAction: notFound,
      });
      this.alb.addRedirect({ sourcePort: 80, targetPort: 443 });
    }
    if (zone) {
      // One wildcard record serves the bot (envbot.<domain>) and every environment.
      new route53.ARecord(this, 'Wildcard', {
        zone,
        recordName: `*.${config.domain}`,
        target: route53.RecordTarget.fromAlias(new route53Targets.LoadBalancerTarget(this.alb)),
      });
    }
    suppress(
      this.alb,
      'The ALB is the public entry point: Slack and GitHub call the bot from changing public IPs, and developers ' +
        'open environments from anywhere. Only 80 (redirect or httpOnly mode) and 443 are open; targets stay in private subnets.',
      'AwsSolutions-EC23',
    );
  }

  private certificate(config: InfraConfig, zone: route53.IHostedZone | undefined): acm.ICertificate {
    if (config.certificateArn) return acm.Certificate.fromCertificateArn(this, 'Certificate', config.certificateArn);
    return new acm.Certificate(this, 'Certificate', {
      domainName: `*.${config.domain}`,
      validation: acm.CertificateValidation.fromDns(zone),
    });
  }
}
