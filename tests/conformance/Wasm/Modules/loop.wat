;; Loops forever without a system call: only a signal the runtime sends can end it.
(module (func (export "_start") (loop $forever (br $forever))))
