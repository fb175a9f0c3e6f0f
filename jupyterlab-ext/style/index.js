import './base.css';
import './elements.css';
