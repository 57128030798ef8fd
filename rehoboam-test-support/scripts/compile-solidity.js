// Compiles one Solidity file with the pinned solc-js and prints {abi, bytecode, compiler} of one
// contract as JSON. Usage: node compile-solidity.js <file.sol> <ContractName>
// The settings are fixed (optimizer 200 runs, EVM cancun) so that the output is reproducible.
'use strict';
const fs = require('fs');
const path = require('path');
const solc = require(path.resolve(__dirname, '..', 'node_modules', 'solc'));

const [file, contract] = process.argv.slice(2);
if (!file || !contract) {
  console.error('usage: compile-solidity.js <file.sol> <ContractName>');
  process.exit(2);
}
const unit = path.basename(file);
const input = {
  language: 'Solidity',
  sources: { [unit]: { content: fs.readFileSync(file, 'utf8') } },
  settings: {
    optimizer: { enabled: true, runs: 200 },
    evmVersion: 'cancun',
    outputSelection: { '*': { '*': ['abi', 'evm.bytecode.object'] } },
  },
};
const output = JSON.parse(solc.compile(JSON.stringify(input)));
const errors = (output.errors || []).filter((e) => e.severity === 'error');
if (errors.length > 0) {
  errors.forEach((e) => console.error(e.formattedMessage));
  process.exit(1);
}
const compiled = output.contracts[unit] && output.contracts[unit][contract];
if (!compiled) {
  console.error('no contract ' + contract + ' in ' + unit);
  process.exit(1);
}
process.stdout.write(
  JSON.stringify(
    { contractName: contract, compiler: 'solc ' + solc.version(), abi: compiled.abi, bytecode: compiled.evm.bytecode.object },
    null,
    2,
  ) + '\n',
);
