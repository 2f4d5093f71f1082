"""The pure banking core: money, identifiers, kana, calendar, fees and the rules of a transfer.

Nothing here touches storage, the web or Faker; everything takes plain values (and an injected clock)
and returns plain values or raises `SandboxError`. The ledger's shape is decided here:

- every movement of money is a `Movement` of two or more `Leg`s whose amounts sum to zero;
- a leg's amount is the signed change to one ledger account's balance (credit to a customer is +);
- customer accounts, and per bank the internal accounts fee income, inter-bank clearing, suspense for
  banks outside the sandbox and opening balances, all live in the same ledger, so the sum of every
  balance in a workspace is always exactly zero.
"""
