export { Emulator, type EmulatedProtocol, type EmulatorOptions, type Outgoing, type SubscribeFailure } from './server.ts';
export { ModelDriver, type ModelOption, type ModelOptions } from './model.ts';
export { deribitProtocol } from './deribit.ts';
export { okxProtocol } from './okx.ts';
export { bybitProtocol } from './bybit.ts';
export { binanceProtocol, BINANCE_DEPTH } from './binance.ts';
