#!/usr/bin/env node
// Compiles Solidity sources with the solc pinned in package.json (solcjs,
// no download at compile time), optimizer on (200 runs), via IR, EVM version
// paris.
// Usage: node compile.js [--no-via-ir] OUT.json FILE.sol [FILE.sol...]
// (--no-via-ir: the legacy pipeline without the optimizer, for generated
// assembly-only verifiers such as snark-verifier's, which were written for
// it; solcjs runs out of memory optimizing their ~250 KB of assembly)
// OUT.json: { "<Contract>": { "abi": [...], "bytecode": "0x...", "deployedBytecode": "0x..." } }
'use strict';
const fs = require('fs');
const path = require('path');
const solc = require('solc');

let args = process.argv.slice(2);
const viaIR = args[0] !== '--no-via-ir';
if (!viaIR) args = args.slice(1);
const [out, ...files] = args;
if (!out || files.length === 0) {
  console.error('usage: node compile.js OUT.json FILE.sol [FILE.sol...]');
  process.exit(2);
}
const sources = {};
for (const f of files) sources[path.basename(f)] = { content: fs.readFileSync(f, 'utf8') };
const input = {
  language: 'Solidity',
  sources,
  settings: {
    optimizer: { enabled: viaIR, runs: 200 },
    evmVersion: 'paris',
    viaIR,
    outputSelection: { '*': { '*': ['abi', 'evm.bytecode.object', 'evm.deployedBytecode.object'] } },
  },
};
// Imports resolve beside the first source, then in node_modules (OpenZeppelin).
const roots = [path.dirname(path.resolve(files[0])), path.join(__dirname, 'node_modules')];
function findImports(p) {
  for (const root of roots) {
    const f = path.join(root, p);
    if (fs.existsSync(f)) return { contents: fs.readFileSync(f, 'utf8') };
  }
  return { error: `not found: ${p}` };
}
const output = JSON.parse(solc.compile(JSON.stringify(input), { import: findImports }));
const errors = (output.errors || []).filter((e) => e.severity === 'error');
for (const e of output.errors || []) console.error(e.formattedMessage);
if (errors.length > 0) process.exit(1);
const result = {};
for (const file of Object.keys(output.contracts || {})) {
  for (const [name, c] of Object.entries(output.contracts[file])) {
    result[name] = {
      abi: c.abi,
      bytecode: '0x' + c.evm.bytecode.object,
      deployedBytecode: '0x' + c.evm.deployedBytecode.object,
    };
  }
}
const tmp = out + '.tmp';
fs.writeFileSync(tmp, JSON.stringify(result, null, 1) + '\n');
fs.renameSync(tmp, out);
console.error(`solc ${solc.version()}: ${Object.keys(result).join(', ')} -> ${out}`);
