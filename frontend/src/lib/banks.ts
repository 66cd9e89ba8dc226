// The Vietnamese banks most cooperatives bank with, by their NAPAS BIN (the
// six digits a VietQR code names the bank by).

/** Bank is a bank's NAPAS BIN and the short name people know it by. */
export interface Bank {
  bin: string;
  name: string;
}

/** banks are the common Vietnamese banks, offered when a cooperative sets its account. */
export const banks: readonly Bank[] = [
  { bin: '970436', name: 'Vietcombank' },
  { bin: '970415', name: 'VietinBank' },
  { bin: '970418', name: 'BIDV' },
  { bin: '970405', name: 'Agribank' },
  { bin: '970422', name: 'MB' },
  { bin: '970407', name: 'Techcombank' },
  { bin: '970416', name: 'ACB' },
  { bin: '970432', name: 'VPBank' },
  { bin: '970423', name: 'TPBank' },
  { bin: '970403', name: 'Sacombank' },
];

/** bankName is a bank's short name ("Vietcombank"), or its BIN when the table does not know it. */
export function bankName(bin: string): string {
  return banks.find((b) => b.bin === bin)?.name ?? bin;
}
