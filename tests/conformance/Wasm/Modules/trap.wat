;; Traps at once: an `unreachable` instruction.
(module (func (export "_start") unreachable))
