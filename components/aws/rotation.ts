// The rotation Lambda (SEC-4): the TypeScript in ./rotation-lambda transpiled into the archive, in the private subnets, least privilege.
import * as fs from "fs";
import * as path from "path";
import * as iam from "@pulumi/aws/iam";
import * as lambda from "@pulumi/aws/lambda";
import type * as secretsmanager from "@pulumi/aws/secretsmanager";
import * as pulumi from "@pulumi/pulumi";
import * as ts from "typescript";
import { AwsContext, tagsFor } from "./context";
import { policyDocument, serviceTrust } from "./iam-policy";

const SOURCE_DIR = path.join(__dirname, "rotation-lambda");

/**
 * The function's code as Lambda runs it: every `.ts` module of ./rotation-lambda transpiled to CommonJS.
 * No build step and no bundler: the runtime provides the AWS SDK v3, the only dependency.
 */
export function rotationCode(): Record<string, string> {
    const files: Record<string, string> = {};
    for (const file of fs.readdirSync(SOURCE_DIR).filter((f) => f.endsWith(".ts") && !f.endsWith(".d.ts")).sort()) {
        const source = fs.readFileSync(path.join(SOURCE_DIR, file), "utf8");
        const output = ts.transpileModule(source, {
            fileName: file,
            compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true, strict: true },
        });
        files[file.replace(/\.ts$/, ".js")] = output.outputText;
    }
    return files;
}

// https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html
export const ROTATION_RUNTIME = "nodejs22.x";

export interface RotationFunctionArgs {
    /** Naming, tagging, region and account of the stack. */
    readonly context: AwsContext;
    /** The secrets the function may rotate, and no others. */
    readonly secretArns: pulumi.Input<string>[];
    /** ARN of the secrets CMK (used through Secrets Manager only). */
    readonly kmsKeyArn: pulumi.Input<string>;
    /** Private subnets; the function reaches Secrets Manager through its interface endpoint. */
    readonly subnetIds: pulumi.Input<string>[];
    /** The security group attached to the resource. */
    readonly securityGroupId: pulumi.Input<string>;
    /** The encrypted log group the function writes to. */
    readonly logGroupName: pulumi.Input<string>;
    /** The function's network path to Secrets Manager (see SecretsArgs.networkReady); the function waits for it. */
    readonly networkReady: readonly pulumi.Resource[];
}

/** The function, its role, and per-secret invoke permissions for Secrets Manager. */
export class RotationFunction extends pulumi.ComponentResource {
    readonly function: lambda.Function;
    private readonly name: string;

    constructor(name: string, args: RotationFunctionArgs, opts?: pulumi.ComponentResourceOptions) {
        super("openclaw:aws:RotationFunction", name, {}, opts);
        this.name = name;
        const { context } = args;
        const role = new iam.Role(`${name}-role`, {
            name: `${context.prefix}-secret-rotation`,
            // The execution role's trust as Lambda documents it, no condition: https://docs.aws.amazon.com/lambda/latest/dg/lambda-intro-execution-role.html
            assumeRolePolicy: serviceTrust("lambda.amazonaws.com"),
            tags: tagsFor(context, `${context.prefix}-secret-rotation`),
        }, { parent: this });
        const policy = new iam.RolePolicy(`${name}-policy`, {
            role: role.name,
            policy: policyDocument([
                {
                    Sid: "RotateThisStacksSecrets",
                    Effect: "Allow",
                    Action: ["secretsmanager:DescribeSecret", "secretsmanager:GetSecretValue", "secretsmanager:PutSecretValue", "secretsmanager:UpdateSecretVersionStage"],
                    Resource: args.secretArns,
                },
                {
                    Sid: "UseTheSecretsKeyThroughSecretsManager",
                    Effect: "Allow",
                    Action: ["kms:Decrypt", "kms:GenerateDataKey"],
                    Resource: args.kmsKeyArn,
                    Condition: { StringEquals: { "kms:ViaService": `secretsmanager.${context.region}.amazonaws.com` } },
                },
                {
                    Sid: "WriteOwnLogs",
                    Effect: "Allow",
                    Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
                    Resource: pulumi.interpolate`arn:${context.partition}:logs:${context.region}:${context.accountId}:log-group:${args.logGroupName}:*`,
                },
                {
                    // Lambda attaches the function to the VPC through ENIs; these actions take no resource scope. Required:
                    // Create/Describe/DeleteNetworkInterface (https://docs.aws.amazon.com/lambda/latest/dg/configuration-vpc.html#vpc-permissions);
                    // the private-IP actions are those of AWSLambdaVPCAccessExecutionRole.
                    Sid: "VpcNetworkInterfaces",
                    Effect: "Allow",
                    Action: ["ec2:CreateNetworkInterface", "ec2:DescribeNetworkInterfaces", "ec2:DeleteNetworkInterface", "ec2:AssignPrivateIpAddresses", "ec2:UnassignPrivateIpAddresses"],
                    Resource: "*",
                },
            ]),
        }, { parent: this });

        const code = rotationCode();
        this.function = new lambda.Function(`${name}-function`, {
            name: `${context.prefix}-secret-rotation`,
            description: "Rotates the OpenClaw secrets of this stack (Secrets Manager rotation steps)",
            runtime: ROTATION_RUNTIME,
            handler: "handler.handler",
            code: new pulumi.asset.AssetArchive(Object.fromEntries(Object.entries(code).map(([file, text]) => [file, new pulumi.asset.StringAsset(text)]))),
            role: role.arn,
            timeout: 30,
            memorySize: 256,
            architectures: ["arm64"],
            vpcConfig: { subnetIds: args.subnetIds, securityGroupIds: [args.securityGroupId] },
            loggingConfig: { logFormat: "JSON", logGroup: args.logGroupName, applicationLogLevel: "INFO", systemLogLevel: "WARN" },
            tags: tagsFor(context, `${context.prefix}-secret-rotation`),
        }, { parent: this, dependsOn: [policy, ...args.networkReady] });
        this.registerOutputs({ functionArn: this.function.arn });
    }

    /** Lets Secrets Manager invoke the function for one secret only. */
    allowRotationOf(key: string, secret: secretsmanager.Secret): lambda.Permission {
        return new lambda.Permission(`${this.name}-${key}`, {
            function: this.function.name,
            action: "lambda:InvokeFunction",
            principal: "secretsmanager.amazonaws.com",
            sourceArn: secret.arn,
        }, { parent: this });
    }
}
