import type { Command } from 'commander';
import { action, type CliContext } from './cli-context';

/** node-opcua (large, slow to load) loads only when a plc command runs. */
const actions = () => import('./plc.actions');

export function registerPlcCommands(program: Command, context: CliContext): void {
  const plc = program.command('plc').description('PLC connections (OPC UA)');
  plc
    .command('trust')
    .description(
      "fetch an OPC UA server's certificate from its endpoint (GetEndpoints) and add it to the " +
        "connector's trust list; check the printed thumbprint against the server's own first",
    )
    .argument('<endpoint>', 'the OPC UA endpoint URL, opc.tcp://host:port/path')
    .option('--pki-dir <directory>', 'the PKI folder of the connector (pkiDir)', 'data/pki')
    .option('--timeout <ms>', 'how long to wait for the server', '10000')
    .action(
      action(context, (endpoint: string, options: { pkiDir: string; timeout: string }) =>
        actions().then((loaded) => loaded.trustEndpoint(context, endpoint, options)),
      ),
    );
}
