/**
 * Node ids of the bench variables (`benchVariables` of startOpcUaSimulator), kept free of
 * node-opcua so that load generators can name them without loading the library.
 */
export function benchNodeId(index: number): string {
  return `ns=1;s=Bench.Value${index}`;
}
