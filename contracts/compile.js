#!/usr/bin/env node
// Compiles Solidity sources with the solc pinned in package.json (solcjs,
// no download at compile time), optimizer on (200 runs), via IR, EVM version
// paris.
// Usage: node compile.js OUT.json FILE.sol [FILE.sol...]
// OUT.json: { "<Contract>": { "abi": [...], "bytecode": "0x...", "deployedBytecode": "0x..." } }
'use strict';
const fs = require('fs');
const path = require('path');
const solc = require('solc');

const [out, ...files] = process.argv.slice(2);
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
    optimizer: { enabled: true, runs: 200 },
    evmVersion: 'paris',
    viaIR: true,
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
